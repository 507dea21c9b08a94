from django.db import models


class CaseSupervision(models.Model):
    """A manager's recorded supervision of one child's case, with the actions
    agreed (seed 000 theme 2: "supervision with actions and timescales")."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="supervisions")
    supervision_date = models.DateField()
    supervisor = models.ForeignKey("organisation.Worker", null=True, blank=True, on_delete=models.SET_NULL)
    actions = models.TextField(blank=True)

    class Meta:
        ordering = ["supervision_date", "pk"]
        indexes = [models.Index(fields=["child", "supervision_date"])]
