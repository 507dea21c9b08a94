"""The performance board, indicator pages, drill-down, the seed's tables and the board pack."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.http import AuthedRequest
from accounts.models import Role, Scope
from audit.models import Action
from audit.services import record, record_shown
from children.selectors import is_partner
from organisation.models import Service, Team, Worker

from . import charts, engine, exports, periods, selectors, tables
from .library import LIBRARY, PERCENT, RATE
from .models import Commentary, Population, Target
from .targets import financial_year, parse_targets, save_rule, save_targets, tolerance_value

# Aggregates are for managers and analysts; partner agencies and caseload-only users do not see the board.
BOARD_ROLES = {
    Role.TEAM_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.DIRECTOR,
    Role.QA_OFFICER,
    Role.IRO,
    Role.BOARD_MANAGER,
    Role.ANALYST,
    Role.ADMINISTRATOR,
}
EDIT_ROLES = {Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.ANALYST, Role.BOARD_MANAGER, Role.TEAM_MANAGER}
BY_CHOICES = [
    ("service", "Service"),
    ("team", "Team"),
    ("worker", "Worker"),
    ("age", "Age band"),
    ("sex", "Sex"),
    ("ethnicity", "Ethnicity (DfE major group)"),
    ("bme", "Black and minority ethnic"),
    ("disability", "Disability"),
]
DRILL_ROWS = 500
PERIOD_KINDS = {
    "month": "The month",
    "quarter": "The quarter",
    "ytd": "Year to date",
    "rolling12": "Rolling 12 months",
    "year": "The financial year",
}


def period_of(kind: str, month: periods.Period) -> periods.Period:
    """The period of a kind that ends with (or contains) the chosen month."""
    if kind == "quarter":
        return periods.quarter(month.fy, (selectors.month_index(month) - 1) // 3 + 1)
    if kind == "ytd":
        return periods.year_to_date(month.end)
    if kind == "rolling12":
        return periods.rolling_12(month.end)
    if kind == "year":
        return periods.financial_year(month.fy)
    return month


SEX_LABELS = {"M": "Male", "F": "Female", "U": "Not known"}


def _allowed(request: AuthedRequest, edit: bool = False) -> None:
    user = request.user
    partner = user.scope == Scope.AGENCY_COHORT or is_partner(user)  # any account with an agency
    if partner or user.role not in (EDIT_ROLES if edit else BOARD_ROLES):
        raise PermissionDenied


def _year_choices(month: periods.Period) -> list[int]:
    return list(range(month.fy - 3, month.fy + 2))


def board(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    month = selectors.month_from(request.GET)
    f = selectors.current_facts()
    rows = selectors.board(f, month)
    return render(
        request,
        "indicators/board.html",
        {
            "rows": rows,
            "themes": selectors.by_theme(rows),
            "exceptions": [r for r in rows if r.exception],
            "imported": selectors.last_import(),
            "month": month,
            "m": selectors.month_index(month),
            "years": _year_choices(month),
            "months": list(enumerate(periods.MONTHS, start=1)),
            "ytd": periods.year_to_date(month.end),
            "quarter": (selectors.month_index(month) - 1) // 3 + 1,
            "figures": sorted([*tables.FIGURES, "12"]),
            "has_population": Population.objects.exists(),
        },
    )


def _labels(by: str, keys: list) -> dict:
    if by == "team":
        return dict(Team.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
    if by == "service":
        return dict(Service.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
    if by == "worker":
        return dict(Worker.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
    if by == "sex":
        return SEX_LABELS
    return {}


def indicator_page(request: AuthedRequest, code: str) -> HttpResponse:
    _allowed(request)
    ind = LIBRARY.get(code)
    if ind is None:
        raise Http404
    month = selectors.month_from(request.GET)
    by = request.GET.get("by", "team")
    if by not in dict(BY_CHOICES):
        by = "team"
    f = selectors.current_facts()
    pops = engine.population_table()
    months = periods.months_of_year(month.fy)
    monthly = [(p, engine.council_value(f, ind, p, pops)) for p in months if p.start <= month.end]
    last_year = [engine.council_value(f, ind, p, pops) for p in periods.months_of_year(month.fy - 1)]
    ytd = periods.year_to_date(month.end)
    target = engine.target_for(code, month.fy)
    bench = selectors.benchmark_lines(code, month.fy)
    chart = charts.line_chart(
        [p.label[:3] for p in months],
        [v.value for _, v in monthly] + [None] * (12 - len(monthly)),
        float(target) if target is not None else None,
        bench if ind.measure in (PERCENT, RATE) or ind.measure == "average" else [],
        description=f"{ind.name}, monthly, {periods.fy_label(month.fy)}",
        unit=ind.unit,
    )
    kind = request.GET.get("period", "ytd")
    if kind not in PERIOD_KINDS:
        kind = "ytd"
    chosen = period_of(kind, month)
    split = engine.compute(f, ind, chosen, by, pops)
    labels = _labels(by, list(split))
    order = {band: i for i, band in enumerate(engine.AGE_BANDS)} if by == "age" else {}
    breakdown = sorted(
        ((key, labels.get(key, key if key is not None else "Not held"), v) for key, v in split.items()),
        key=lambda t: (order.get(t[0], len(order)), str(t[1])),
    )
    quarter = (selectors.month_index(month) - 1) // 3 + 1
    return render(
        request,
        "indicators/indicator.html",
        {
            "ind": ind,
            "month": month,
            "m": selectors.month_index(month),
            "ytd": ytd,
            "ytd_value": engine.council_value(f, ind, ytd, pops),
            "monthly": [(p, v, last_year[i] if i < len(last_year) else None) for i, (p, v) in enumerate(monthly)],
            "target": target,
            "chart": chart,
            "benchmarks": engine.benchmarks_for(code),
            "by": by,
            "by_choices": BY_CHOICES,
            "chosen": chosen,
            "kind": kind,
            "period_kinds": PERIOD_KINDS.items(),
            "breakdown": breakdown,
            "commentary": selectors.commentary_for(code, month.fy, quarter),
            "quarter": quarter,
            "can_edit": request.user.role in EDIT_ROLES,
        },
    )


def drill_down(request: AuthedRequest, code: str) -> HttpResponse:
    """The children behind a number: ?kind=month|ytd|year&fy=&m=&by=&key=&part=all|numerator|other."""
    _allowed(request)
    ind = LIBRARY.get(code)
    if ind is None:
        raise Http404
    month = selectors.month_from(request.GET)
    kind = request.GET.get("kind", "month")
    period = period_of(kind if kind in PERIOD_KINDS else "month", month)
    by = request.GET.get("by", "council")
    if by != "council" and by not in dict(BY_CHOICES):
        raise Http404
    key = request.GET.get("key", "council")
    part = request.GET.get("part", "all")
    if part not in ("all", "numerator", "other"):
        part = "all"
    f = selectors.current_facts()
    listed, hidden = selectors.drill_children(request.user, f, ind, period, by, key, part)
    if request.GET.get("format") == "xlsx":
        record_shown(
            request,
            [child for _, child in listed],
            action=Action.EXPORT,
            detail=f"drill-down {code} {period.label} by={by} key={key} part={part}",
        )
        return exports.drill_xlsx(ind, period, listed)
    record_shown(
        request,
        [child for _, child in listed[:DRILL_ROWS]],  # the rows on the page
        detail=f"drill-down {code} {period.label} by={by} key={key} part={part}: {len(listed)} rows",
    )
    return render(
        request,
        "indicators/drill.html",
        {
            "ind": ind,
            "period": period,
            "by": by,
            "key": _labels(by, [key]).get(int(key) if key.isdigit() else key, key) if by != "council" else "",
            "part": part,
            "listed": listed[:DRILL_ROWS],
            "total": len(listed),
            "capped": len(listed) > DRILL_ROWS,
            "query": request.GET.urlencode(),
            "hidden": hidden,
            "month": month,
            "m": selectors.month_index(month),
        },
    )


def figure_page(request: AuthedRequest, number: str) -> HttpResponse:
    _allowed(request)
    month = selectors.month_from(request.GET)
    fy = month.fy
    f = selectors.current_facts()
    context: dict[str, Any]
    if number == "12":
        context = {"fig12": tables.figure_12(f, fy, month), "title": tables.FIGURE_12}
    elif number in tables.FIGURES:
        context = {"rows": tables.figure(f, number, fy, month), "title": tables.FIGURES[number][0]}
    else:
        raise Http404
    if request.GET.get("format") == "xlsx":
        record(Action.EXPORT, request=request, detail=f"indicators figure {number} {periods.fy_label(fy)} (Excel)")
        return exports.figure_xlsx(number, fy, context)
    return render(
        request,
        "indicators/figure.html",
        {
            **context,
            "number": number,
            "fy": fy,
            "fy_label": periods.fy_label(fy),
            "previous_label": periods.fy_label(fy - 1),
            "quarters": [(q, periods.MONTHS[(q - 1) * 3 : q * 3]) for q in range(1, 5)],
            "months": periods.MONTHS,
            "m": selectors.month_index(month),
            "last": tables.last_month(fy, month),
            "last_m": selectors.month_index(tables.last_month(fy, month)),
        },
    )


def board_pack(request: AuthedRequest, fy: int, quarter: int, fmt: str) -> HttpResponse:
    _allowed(request)
    if not 1 <= quarter <= 4 or fmt not in ("pdf", "xlsx"):
        raise Http404
    month = periods.months_of_year(fy)[quarter * 3 - 1]
    last = selectors.default_month()  # the last complete month: a quarter in progress runs to it
    if month.end > last.end:
        if periods.quarter(fy, quarter).start > last.end:
            raise Http404("That quarter has not started yet")
        month = last
    f = selectors.current_facts()
    record(Action.EXPORT, request=request, detail=f"board pack {periods.fy_label(fy)} Q{quarter} ({fmt})")
    if fmt == "pdf":
        return exports.board_pack_pdf(f, month, quarter, request.user)
    return exports.board_pack_xlsx(f, month, quarter)


class CommentaryForm(forms.ModelForm):
    class Meta:
        model = Commentary
        fields = ["data_tells_us", "doing_about_it"]
        widgets = {
            "data_tells_us": forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
            "doing_about_it": forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        }


def commentary(request: AuthedRequest, code: str, fy: int, quarter: int) -> HttpResponse:
    _allowed(request, edit=True)
    ind = LIBRARY.get(code)
    if ind is None or not 1 <= quarter <= 4:
        raise Http404
    existing = selectors.commentary_for(code, fy, quarter) or Commentary(indicator=code, year=fy, quarter=quarter)
    form = CommentaryForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.author = request.user
        item.save()
        record(Action.CHANGE, request=request, obj=item, detail=f"commentary {code} {periods.fy_label(fy)} Q{quarter}")
        messages.success(request, "Commentary saved")
        return redirect(reverse("indicator", args=[code]) + f"?fy={fy}&m={quarter * 3}")
    return render(
        request,
        "indicators/commentary.html",
        {"ind": ind, "form": form, "fy": fy, "fy_label": periods.fy_label(fy), "quarter": quarter},
    )


def targets(request: AuthedRequest) -> HttpResponse:
    """Set each indicator's target for a financial year (blank: no target). Nothing is written unless every
    value is good (indicators.targets)."""
    _allowed(request, edit=True)
    month = selectors.month_from(request.GET)
    posted_fy = financial_year(request.POST.get("fy")) if request.method == "POST" else month.fy
    fy = posted_fy or month.fy
    current = dict(Target.objects.filter(year=fy).values_list("indicator", "value"))
    errors: dict[str, str] = {}
    rule_error = ""
    if request.method == "POST" and posted_fy is None:
        errors["fy"] = "Choose a financial year from the performance board"
    elif request.method == "POST" and "save-rule" in request.POST:
        try:
            tolerance = tolerance_value(request.POST.get("rule-tolerance", ""))
        except ValidationError:
            rule_error = "Enter a percentage from 0 to 100, for example 10"
        else:
            save_rule(tolerance, amber_if_improved=request.POST.get("rule-amber") == "yes")
            messages.success(request, "RAG rule saved")
            return redirect(reverse("indicator_targets") + f"?fy={fy}")
    elif request.method == "POST":
        values, errors = parse_targets(request.POST)
        if not errors:
            save_targets(fy, values)
            messages.success(request, f"Targets for {periods.fy_label(fy)} saved")
            return redirect(reverse("indicator_targets") + f"?fy={fy}")
    rows = [
        (ind, request.POST.get(f"target-{ind.code}") if errors else current.get(ind.code), errors.get(ind.code))
        for ind in LIBRARY.values()
    ]
    return render(
        request,
        "indicators/targets.html",
        {
            "rows": rows,
            "fy": fy,
            "fy_label": periods.fy_label(fy),
            "errors": errors,
            "rule": engine.current_rule(),
            "rule_error": rule_error,
        },
    )
