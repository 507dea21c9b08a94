from django.conf import settings
from django.db import models


class RecordRestriction(models.Model):
    """A child's record restricted to named users (a child of a member of staff, a high-profile case):
    nobody else sees it, whatever their scope; counts still include it (decision 0027). Set and lifted
    by an administrator in the Django admin (children.admin), every change audited."""

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, related_name="restriction")
    reason = models.CharField(max_length=200)
    allowed_users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="restricted_records_allowed")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Restriction on child {self.child_id}"
