"""What the studio's pages share: the blueprint, who may open a course's pages, and the messages of
refused actions in the reader's language."""
from __future__ import annotations

from flask import Blueprint, abort
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import STUDIO_ROLES, is_course_staff, role_required
from elearn.extensions import db
from elearn.models import Role
from elearn.services.studio import get_studio_course

bp = Blueprint("studio", __name__, url_prefix="/studio", template_folder="templates")
studio_roles = role_required(*(Role(value) for value in STUDIO_ROLES))


def staff_course_or_abort(slug: str):
    """The live course or unpublished studio draft, if the current user is its staff: 404 when there is
    no such course, 403 otherwise."""
    course = get_studio_course(db.session, slug)
    if course is None:
        abort(404)
    if not is_course_staff(current_user, course):
        abort(403)
    return course


def upload_message(code: str) -> str:
    return {
        "not_zip": _("Berkas ini bukan ZIP yang dapat dibaca."),
        "unsafe_path": _("ZIP berisi jalur yang tidak aman (jalur absolut atau '..')."),
        "symlink": _("ZIP berisi tautan simbolik; tautan tidak diterima."),
        "too_many_files": _("ZIP berisi terlalu banyak berkas."),
        "file_too_large": _("Ada berkas yang terlalu besar setelah diekstrak."),
        "too_large": _("Isi ZIP terlalu besar setelah diekstrak."),
        "zip_bomb": _("ZIP ini dimampatkan secara tidak wajar (bom ZIP); ditolak."),
        "duplicate": _("ZIP berisi nama berkas yang sama dua kali."),
        "empty": _("ZIP tidak berisi berkas."),
        "file_type": _("Jenis berkas tidak diterima: hanya berkas Markdown (.md) di folder kursus dan gambar "
                       "PNG/JPEG/WebP/GIF atau PDF di folder assets/ (dikenali dari isinya, bukan namanya)."),
    }[code]


def studio_message(code: str) -> str:
    return {
        "conflict": _("Versi baru sudah diterbitkan sejak draf ini dimulai; draf tidak diterbitkan agar "
                      "perubahan itu tidak hilang. Salin teks yang ingin Anda simpan, buang draf, lalu terapkan "
                      "lagi pada versi terbaru."),
        "edit_conflict": _("Berkas ini sudah disimpan orang lain sejak Anda mulai menyunting; teks Anda tidak "
                           "disimpan. Bandingkan kedua teks di bawah; menyimpan lagi menggantikan teks tersimpan "
                           "dengan teks di kotak sunting."),
        "no_version": _("Versi itu tidak ada."),
        "no_draft": _("Tidak ada draf untuk diterbitkan: ubah dulu satu berkas."),
        "no_file": _("Berkas itu tidak ada di draf."),
        "exists": _("Nama itu sudah dipakai berkas lain di draf; pilih nama lain."),
        "bad_name": _("Nama tidak sah: gunakan huruf kecil, angka, dan tanda hubung (modul: NN-nama.md, "
                      "aset: assets/nama.png); nama glossary, exam, dan pretest dicadangkan."),
        "number_changed": _("Nomor modul tidak diubah lewat ganti nama; pakai tombol Naik/Turun untuk "
                            "mengubah urutan."),
        "type_changed": _("Jenis berkas aset tidak boleh berubah (akhiran nama harus tetap sama)."),
        "fixed_name": _("Nama berkas ini ditetapkan oleh format kursus (course.md, kuis dan tugas mengikuti "
                        "nama modulnya); tidak dapat diganti atau dihapus di sini."),
        "too_many": _("Kursus sudah berisi 99 modul."),
        "too_large": _("Berkas terlalu besar."),
        "slug_taken": _("Nama folder itu sudah dipakai kursus lain; pilih nama lain."),
        "bad_slug": _("Nama folder atau judul tidak sah."),
        "bad_path": _("Nama berkas harus berupa berkas Markdown di folder kursus, huruf kecil, mis. "
                      "03-katalog.md."),
    }[code]
