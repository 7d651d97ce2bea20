"""Canned answers (常用语): phrases staff insert into answers, mediation records, non-acceptance explanations and follow-up notes."""
