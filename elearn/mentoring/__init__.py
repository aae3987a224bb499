"""Pendampingan: mentor pairs (made by admins and supervisors), the mentor's board and mentee pages,
mentoring sessions recorded by mentors and confirmed by mentees."""
