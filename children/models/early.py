from django.db import models


class Contact(models.Model):
    """A contact to the front door (Annex A List 1)."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="contacts")
    contact_date = models.DateField()
    source = models.CharField(max_length=3, blank=True, help_text="CIN ReferralSource code")
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["contact_date"]
        indexes = [models.Index(fields=["contact_date"])]


class EarlyHelpEpisode(models.Model):
    """Early help (SSD early_help_episodes; Annex A List 2, one assessment per episode)."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="early_help")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    organisation = models.CharField(
        max_length=80, blank=True, help_text="Annex A List 2 'Organisation completing assessment'"
    )
    assessment_start_date = models.DateField(null=True, blank=True, help_text="Annex A List 2 'Assessment start date'")
    assessment_completion_date = models.DateField(
        null=True, blank=True, help_text="Annex A List 2 'Assessment completion date'"
    )
    reason = models.CharField(max_length=100, blank=True, help_text="SSD earl_episode_reason")
    end_reason = models.CharField(max_length=100, blank=True, help_text="SSD earl_episode_end_reason")

    class Meta:
        ordering = ["start_date"]
