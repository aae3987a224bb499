"""Practice tasks: the learner's task page (instructions, rubric, hand-in, history) and the reviewers'
pages (hand-ins waiting, one hand-in with its review form)."""
