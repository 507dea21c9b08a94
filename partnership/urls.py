from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="partnership"),
    path("allegations/", views.allegation_list, name="partnership_allegations"),
    path("allegations/new/", views.allegation_add, name="partnership_allegation_add"),
    path("allegations/target/", views.allegation_target, name="partnership_allegation_target"),
    path("allegations/report/", views.allegation_report, name="partnership_allegation_report"),
    path("allegations/<int:pk>/", views.allegation_detail, name="partnership_allegation"),
    path("allegations/<int:pk>/edit/", views.allegation_edit, name="partnership_allegation_edit"),
    path("allegations/<int:pk>/chase/", views.allegation_chase, name="partnership_allegation_chase"),
]

urlpatterns += [
    path("training/", views.training, name="partnership_training"),
    path("training/report/", views.training_report, name="partnership_training_report"),
    path("training/courses/new/", views.course_add, name="partnership_course_add"),
    path("training/courses/<int:pk>/", views.course_detail, name="partnership_course"),
    path("training/courses/<int:pk>/sessions/new/", views.session_add, name="partnership_session_add"),
    path("training/sessions/<int:pk>/", views.session_detail, name="partnership_session"),
    path("training/delegates/<int:pk>/", views.delegate_edit, name="partnership_delegate"),
    path("meetings/", views.meetings, name="partnership_meetings"),
    path("meetings/report/", views.meetings_report, name="partnership_meetings_report"),
    path("meetings/bodies/new/", views.body_add, name="partnership_body_add"),
    path("meetings/bodies/<int:pk>/", views.body_detail, name="partnership_body"),
    path("meetings/bodies/<int:pk>/members/new/", views.member_add, name="partnership_member_add"),
    path("meetings/bodies/<int:pk>/meetings/new/", views.meeting_add, name="partnership_meeting_add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="partnership_meeting"),
]

urlpatterns += [path("report.xlsx", views.report_xlsx, name="partnership_report_xlsx")]
urlpatterns += [path("meetings/members/<int:pk>/", views.member_edit, name="partnership_member")]
urlpatterns += [path("training/sessions/<int:pk>/scores/", views.session_scores, name="partnership_session_scores")]
urlpatterns += [path("training/delegates/<int:pk>/remove/", views.delegate_remove, name="partnership_delegate_remove")]
