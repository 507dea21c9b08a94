from django.urls import path

from . import reconcile_views, views

urlpatterns = [
    path("", views.board, name="indicator_board"),
    path("targets/", views.targets, name="indicator_targets"),
    path("figures/<str:number>/", views.figure_page, name="indicator_figure"),
    path("reconciliation/", reconcile_views.reconciliation, name="indicator_reconciliation"),
    path("board-pack/<int:fy>/q<int:quarter>.<str:fmt>", views.board_pack, name="board_pack"),
    path("<str:code>/", views.indicator_page, name="indicator"),
    path("<str:code>/children/", views.drill_down, name="indicator_drill"),
    path("<str:code>/commentary/<int:fy>/q<int:quarter>/", views.commentary, name="indicator_commentary"),
]
