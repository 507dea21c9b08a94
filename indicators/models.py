"""What a council keeps beside the indicator library: populations for rates,
targets, RAG rules, comparator benchmarks and managers' commentary.

The indicator definitions themselves live in code (indicators/library.py), each
with its plain-English definition and source, so that a definition changes only
through a reviewed commit."""

from django.conf import settings
from django.db import models


class Population(models.Model):
    """Children resident in an area (ONS mid-year estimate), by age band and sex.
    Loaded from the CSV layout in docs/indicators.md ("Populations")."""

    area = models.CharField(max_length=80, default="council")
    year = models.PositiveSmallIntegerField(help_text="mid-year of the estimate, e.g. 2024 for mid-2024")
    age_band = models.CharField(max_length=10, help_text="e.g. 0-4, 5-9, 10-15, 16-17; 'all' when not split")
    sex = models.CharField(max_length=1, default="U", help_text="M, F, or U when not split")
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["area", "year", "age_band", "sex"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "age_band", "sex"], name="unique_population_cell")
        ]


class Target(models.Model):
    """A council's target for one indicator in one financial year (year = the
    year the financial year starts: 2024 is April 2024 to March 2025)."""

    indicator = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="unique_target")]


class RagRule(models.Model):
    """The council's RAG rule (one row; the latest is used). Distance from target
    is measured relative to the target, in the indicator's good direction."""

    tolerance_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=10, help_text="green when no worse than this % of the target"
    )
    amber_if_improved = models.BooleanField(
        default=True, help_text="beyond tolerance but better than the same period last year: amber (else red)"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]


class Comparator(models.TextChoices):
    STATISTICAL_NEIGHBOURS = "sn", "Statistical neighbours"
    REGION = "region", "Region"
    ENGLAND = "england", "England"
    COUNCIL_PREVIOUS = "council", "This council (published)"


class Benchmark(models.Model):
    """A published comparator value for one indicator and year (CSV layout in
    docs/indicators.md, "Benchmarks")."""

    indicator = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField(help_text="financial year start, e.g. 2013 for 2013-14")
    comparator = models.CharField(max_length=10, choices=Comparator.choices)
    label = models.CharField(max_length=80, blank=True, help_text="e.g. London for the region")
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["indicator", "year", "comparator"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "comparator"], name="unique_benchmark"),
        ]


class Commentary(models.Model):
    """What managers write against an indicator for a quarter of the board pack."""

    indicator = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(help_text="1 = April to June ... 4 = January to March")
    data_tells_us = models.TextField("what the data tells us", blank=True)
    doing_about_it = models.TextField("what we are doing about it", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "year", "quarter"]
        verbose_name_plural = "commentaries"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "quarter"], name="unique_commentary"),
        ]
