"""Error pages in the site's layout, in the user's language."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from elearn.forms_common import megabytes

TITLES = {
    400: _l("Permintaan tidak valid"),
    403: _l("Akses ditolak"),
    404: _l("Halaman tidak ditemukan"),
    405: _l("Metode tidak diizinkan"),
    413: _l("Kiriman terlalu besar"),
    429: _l("Terlalu banyak percobaan"),
    500: _l("Terjadi kesalahan pada server"),
}
MESSAGES = {
    400: _l("Permintaan Anda tidak dapat diproses. Muat ulang halaman lalu coba lagi."),
    403: _l("Anda tidak memiliki izin untuk membuka halaman ini."),
    404: _l("Alamat yang Anda buka tidak ada atau sudah dipindahkan."),
    405: _l("Halaman ini tidak menerima permintaan seperti itu."),
    429: _l("Terlalu banyak percobaan dalam waktu singkat. Tunggu sebentar lalu coba lagi."),
    500: _l("Maaf, terjadi kesalahan. Tim kami sudah dicatat; silakan coba lagi nanti."),
}


def render_error(code: int, message=None):
    return (
        render_template("error.html", code=code, title=TITLES.get(code, TITLES[500]),
                        message=message or MESSAGES.get(code, MESSAGES[500])),
        code,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _l("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code == 413:
            return render_error(413, _("Berkas atau formulir yang Anda kirim terlalu besar: paling banyak "
                                       "%(limit)s MB. Tidak ada yang disimpan.",
                                       limit=megabytes(app.config["MAX_CONTENT_LENGTH"])))
        return render_error(error.code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error")
        from elearn.extensions import db

        db.session.rollback()
        return render_error(500)
