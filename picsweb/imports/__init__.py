"""The one import pipeline every picsweb import uses (payments, registrations, learners,
qualifications, admin uploads): see pipeline.py."""
