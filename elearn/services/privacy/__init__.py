"""Personal data under UU PDP (Law 27/2022): the registry of what is held where (``registry``), the
"my data" archive (``export``), anonymisation on an approved deletion (``anonymise``), deletion and
reissue requests (``requests``), retention and the processing record (``retention``), who looked at
whose records (``access_log``) and the privacy notice (``notice``). See docs/privacy.md."""
