"""Page URLs of the co-built parks (namespace "cobuild", under /cobuild/)."""

from django.urls import path

from parklink.cobuild import (
    views,
    views_details,
    views_edit,
    views_enclave_edit,
    views_enclaves,
    views_forecast,
    views_ledger,
    views_reconcile,
    views_twoviews,
)

app_name = "cobuild"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("enclaves/", views_enclaves.enclave_list, name="enclaves"),
    path("enclaves/new/", views_enclave_edit.enclave_create, name="enclave_create"),
    path("enclaves/<int:pk>/", views_enclaves.enclave_detail, name="enclave"),
    path("enclaves/<int:pk>/edit/", views_enclave_edit.enclave_edit, name="enclave_edit"),
    path("new/", views_edit.agreement_create, name="create"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views_edit.agreement_edit, name="edit"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/details/", views_details.details_edit, name="details"),
    path("<int:pk>/companies/new/", views_details.company_edit, name="company_create"),
    path(
        "<int:pk>/companies/<int:company_pk>/edit/",
        views_details.company_edit,
        name="company_edit",
    ),
    path(
        "<int:pk>/companies/<int:company_pk>/delete/",
        views_details.company_delete,
        name="company_delete",
    ),
    path("<int:pk>/enterprises/", views_details.covered_list, name="covered"),
    path("<int:pk>/enterprises/new/", views_details.covered_edit, name="covered_create"),
    path(
        "<int:pk>/enterprises/<int:row_pk>/edit/",
        views_details.covered_edit,
        name="covered_edit",
    ),
    path(
        "<int:pk>/enterprises/<int:row_pk>/delete/",
        views_details.covered_delete,
        name="covered_delete",
    ),
    path("<int:pk>/transition/form/", views.transition_form, name="transition_form"),
    path("<int:pk>/amend/", views_edit.amend, name="amend"),
    path("<int:pk>/versions/<int:number>/rules/", views_edit.rule_list, name="rules"),
    path("<int:pk>/rules/<int:rule_pk>/edit/", views_edit.rule_edit, name="rule_edit"),
    path("<int:pk>/rules/<int:rule_pk>/delete/", views_edit.rule_delete, name="rule_delete"),
    path("<int:pk>/records/import/", views_ledger.records_import, name="records_import"),
    path("<int:pk>/forecast/", views_forecast.forecast, name="forecast"),
    path("<int:pk>/runs/", views_ledger.run_list, name="runs"),
    path("<int:pk>/views/", views_twoviews.two_views, name="views"),
    path(
        "<int:pk>/views/download.<str:fmt>",
        views_twoviews.two_views_download,
        name="views_download",
    ),
    path("<int:pk>/runs/<int:run_pk>/", views_ledger.run_detail, name="run"),
    path("<int:pk>/runs/<int:run_pk>/confirm/", views_ledger.run_confirm, name="run_confirm"),
    path(
        "<int:pk>/runs/<int:run_pk>/reconcile/",
        views_reconcile.run_reconcile,
        name="run_reconcile",
    ),
    path(
        "<int:pk>/statements/<str:period>/<slug:party>/",
        views_ledger.statement_detail,
        name="statement",
    ),
    path(
        "<int:pk>/statements/<str:period>/<slug:party>/download.<str:fmt>",
        views_ledger.statement_download,
        name="statement_download",
    ),
]
