"""Enterprise rules: USCC, duplicates and ownership."""

import pytest

from parklink.core.errors import Duplicate, Forbidden, Invalid
from parklink.enterprises.services import create_enterprise, update_enterprise
from parklink.enterprises.uscc import check_character

BODY = "91510682MA6C4XXX0"
USCC = BODY + check_character(BODY)


class TestCreateEnterprise:
    def test_invalid_uscc_is_refused_with_the_reason(self, users):  # type: ignore[no-untyped-def]
        wrong = BODY + ("0" if USCC[-1] != "0" else "1")
        with pytest.raises(Invalid) as caught:
            create_enterprise(users["jinniu"], name="交子恒新", uscc=wrong, region_id="510682")
        assert "校验码错误" in caught.value.detail["uscc"]

    def test_same_uscc_names_the_existing_record(self, users):  # type: ignore[no-untyped-def]
        first = create_enterprise(
            users["jinniu"], name="交子恒新科技发展有限责任公司", uscc=USCC, region_id="510682"
        )
        with pytest.raises(Duplicate) as caught:
            create_enterprise(users["dege"], name="另一家公司", uscc=USCC, region_id="513330")
        assert first.name in caught.value.message and caught.value.detail["existing_id"] == first.pk

    def test_same_normalised_name_in_same_region_is_a_duplicate(self, users):  # type: ignore[no-untyped-def]
        create_enterprise(users["jinniu"], name="四川新荷花公司", region_id="510106")
        with pytest.raises(Duplicate):
            create_enterprise(users["jinniu"], name=" 四川新荷花公司 ", region_id="510106")

    def test_traditional_characters_and_full_width_brackets_fold(self, users):  # type: ignore[no-untyped-def]
        create_enterprise(users["zhangye"], name="张掖沃土源(有限公司)", region_id="620700")
        with pytest.raises(Duplicate):
            create_enterprise(users["zhangye"], name="張掖沃土源（有限公司）", region_id="620700")

    def test_same_name_in_another_region_is_allowed(self, users):  # type: ignore[no-untyped-def]
        create_enterprise(users["jinniu"], name="恒新公司", region_id="510106")
        create_enterprise(users["jinniu"], name="恒新公司", region_id="510682")

    def test_other_organisation_cannot_edit(self, users):  # type: ignore[no-untyped-def]
        company = create_enterprise(users["jinniu"], name="遨天科技", region_id="510100")
        with pytest.raises(Forbidden):
            update_enterprise(users["dege"], company, name="改名")


class TestSites:
    def test_update_replaces_sites_and_only_the_owner_may(self, users):  # type: ignore[no-untyped-def]
        from parklink.enterprises.services import set_sites

        company = create_enterprise(
            users["jinniu"],
            name="北京中航智科技有限公司",
            region_id="510106",
            sites=[{"role": "headquarters", "region_id": "510106"}],
        )
        update_enterprise(
            users["jinniu"],
            company,
            sites=[
                {"role": "rnd", "region_id": "510106"},
                {"role": "manufacturing", "region_id": "510682"},
            ],
        )
        assert sorted(company.sites.values_list("role", flat=True)) == ["manufacturing", "rnd"]
        with pytest.raises(Forbidden):
            set_sites(users["dege"], company, [])
        assert company.sites.count() == 2


class TestColumnLimits:
    """Values the table cannot hold are refused by the rules, not by the database."""

    def test_a_capital_too_wide_for_its_column_is_refused_and_nothing_is_stored(self, users):  # type: ignore[no-untyped-def]
        from decimal import Decimal

        from parklink.enterprises.models import Enterprise

        with pytest.raises(Invalid) as caught:
            create_enterprise(
                users["jinniu"],
                name="注册资本过大公司",
                region_id="510106",
                registered_capital=Decimal("1e17"),
            )
        assert "registered_capital" in caught.value.detail
        assert not Enterprise.objects.filter(name="注册资本过大公司").exists()

    def test_a_capital_that_rounds_past_the_column_is_refused(self, users):  # type: ignore[no-untyped-def]
        from decimal import Decimal

        with pytest.raises(Invalid) as caught:
            create_enterprise(
                users["jinniu"],
                name="四舍五入公司",
                region_id="510106",
                registered_capital=Decimal("9999999999999999.999"),
            )
        assert "registered_capital" in caught.value.detail

    def test_a_large_capital_within_the_column_is_stored_and_read_back(self, users):  # type: ignore[no-untyped-def]
        from decimal import Decimal

        company = create_enterprise(
            users["jinniu"],
            name="大额注册资本公司",
            region_id="510106",
            registered_capital=Decimal("999999999999999"),
        )
        company.refresh_from_db()
        assert company.registered_capital == Decimal("999999999999999")

    def test_names_and_codes_longer_than_their_columns_are_refused(self, users):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            create_enterprise(
                users["jinniu"],
                name="长" * 129,
                short_name="简" * 65,
                industry_code="123456789",
                region_id="510106",
            )
        assert set(caught.value.detail) >= {"name", "short_name", "industry_code"}

    def test_an_update_too_wide_leaves_the_record_as_it_was(self, users):  # type: ignore[no-untyped-def]
        from decimal import Decimal

        company = create_enterprise(users["jinniu"], name="原样公司", region_id="510106")
        with pytest.raises(Invalid):
            update_enterprise(users["jinniu"], company, registered_capital=Decimal("1e20"))
        company.refresh_from_db()
        assert company.registered_capital is None

    def test_a_site_address_longer_than_its_column_is_refused(self, users):  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            create_enterprise(
                users["jinniu"],
                name="地址过长公司",
                region_id="510106",
                sites=[{"role": "rnd", "region_id": "510106", "address": "路" * 256}],
            )
        assert "sites" in caught.value.detail
