"""Page URLs of matching (namespace "matching", under /matching/)."""

from django.urls import path

from parklink.matching import (
    views,
    views_finance,
    views_policies,
    views_products,
    views_promotion,
    views_siting,
)

app_name = "matching"

urlpatterns = [
    path("", views.listing_list, name="listings"),
    path("listings/new/", views.listing_create, name="listing_create"),
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("listings/<int:pk>/tags/", views.listing_tags, name="listing_tags"),
    path("listings/<int:pk>/matches.xlsx", views.listing_export, name="listing_export"),
    path("listings/<int:pk>/merge/", views.listing_merge, name="listing_merge"),
    path("listings/<int:pk>/close/", views.listing_close, name="listing_close"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/action/", views.event_action, name="event_action"),
    path("policies/", views_policies.policy_list, name="policies"),
    path("policies/new/", views_policies.policy_create, name="policy_create"),
    path("policies/<int:pk>/", views_policies.policy_detail, name="policy"),
    path("policies/<int:pk>/edit/", views_policies.policy_edit, name="policy_edit"),
    path("policies/<int:pk>/test/", views_policies.policy_test, name="policy_test"),
    path("enterprises/<int:pk>/policies/", views_policies.enterprise_policies, name="enterprise"),
    path("finance/", views_finance.products, name="finance-products"),
    path("finance/products/<int:pk>/", views_finance.product_detail, name="finance-product"),
    path("finance/products/new/", views_products.product_create, name="finance-product-create"),
    path(
        "finance/products/<int:pk>/edit/", views_products.product_edit, name="finance-product-edit"
    ),
    path(
        "finance/products/<int:pk>/active/",
        views_products.product_active,
        name="finance-product-active",
    ),
    path("finance/needs/", views_finance.needs, name="finance-needs"),
    path("finance/needs.xlsx", views_finance.needs_export, name="finance-needs-export"),
    path("finance/needs/new/", views_finance.need_create, name="finance-need-create"),
    path("finance/needs/<int:pk>/", views_finance.need_detail, name="finance-need"),
    path("finance/needs/<int:pk>/edit/", views_finance.need_edit, name="finance-need-edit"),
    path("finance/needs/<int:pk>/action/", views_finance.need_action, name="finance-need-action"),
    path("finance/figures/", views_finance.figures, name="finance-figures"),
    path("siting/", views_siting.index, name="siting"),
    path("siting/projects/<int:pk>/", views_siting.project, name="siting-project"),
    path("siting/projects/<int:pk>/compare/", views_siting.compare, name="siting-compare"),
    path("siting/projects/<int:pk>/needs/", views_siting.needs, name="siting-needs"),
    path("siting/parks/<int:pk>/capacity/", views_siting.capacity, name="siting-capacity"),
    path("promote/", views_promotion.manage, name="promote"),
    path("promote/<int:pk>/withdraw/", views_promotion.withdraw, name="promote-withdraw"),
    path("promote/enquiries/", views_promotion.enquiries, name="promote-enquiries"),
    path(
        "promote/enquiries/<int:pk>/handled/",
        views_promotion.enquiry_handled,
        name="promote-enquiry-handled",
    ),
    path("promote/parks/<int:pk>/", views_promotion.public_park, name="promote-park"),
    path("promote/orgs/<int:pk>/", views_promotion.public_organization, name="promote-org"),
]
