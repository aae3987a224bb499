"""Training done outside the platform: the learner's records and the supervisor's decisions."""
