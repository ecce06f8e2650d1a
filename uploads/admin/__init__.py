"""The staff side of uploads: intake records (leads, consent) and the review of cases."""

from uploads.admin import intake, review

__all__ = ["intake", "review"]
