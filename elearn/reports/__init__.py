"""Supervision: reports (completion matrix, course results, lesson hours, programme metrics),
assigned training, action plan reviews; and the learner's side of feedback and action plans."""
