"""The benchmark cases; each prints absolute times and the ratio to its baseline."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.synthetic import make_orgs, make_projects, make_user

Timer = Callable[[Callable[[], object], int], float]


def _list_page(user) -> Callable[[], object]:  # type: ignore[no-untyped-def]
    from parklink.projects.queries import (
        ProjectFilters,
        apply_filters,
        visible_projects,
        with_relations,
    )

    def run() -> object:
        qs = apply_filters(
            visible_projects(user),
            ProjectFilters(sort="-total_investment"),
        )
        total = qs.count()
        return total, list(with_relations(qs)[:25])

    return run


def _dashboard(user) -> Callable[[], object]:  # type: ignore[no-untyped-def]
    """Everything the home page computes: funnel, months, sectors, parks, ageing, attention."""
    from parklink.projects.dashboard import build

    return lambda: build(user)


def _uscc(n: int) -> Callable[[], object]:
    from parklink.enterprises.uscc import check_character, is_valid

    codes = [f"91510100MA{i:07d}" for i in range(n)]
    codes = [c + check_character(c) for c in codes]
    return lambda: sum(map(is_valid, codes))


def _enterprise_file(rows: int, folder: Path) -> Path:
    """An .xlsx of `rows` enterprises with valid USCCs and mixed place names and adcodes."""
    from openpyxl import Workbook

    from parklink.enterprises.uscc import check_character

    places = ["510106", "四川省成都市金牛区", "什邡市", "513330", "甘孜州德格县"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["企业名称", "统一社会信用代码", "注册地", "行业代码", "注册资本(万元)"])
    for index in range(rows):
        body = f"91510100MA{index:07d}"
        sheet.append(
            [
                f"合成企业{index:06d}有限公司",
                body + check_character(body),
                places[index % len(places)],
                "39",
                1000 + index,
            ]
        )
    path = folder / f"enterprises-{rows}.xlsx"
    book.save(path)
    return path


def _validate_import(user, path: Path) -> Callable[[], object]:  # type: ignore[no-untyped-def]
    from parklink.enterprises.imports import validate_enterprises

    def run() -> object:
        report = validate_enterprises(user, path)
        assert not report.problems, report.problems[:3]
        return report

    return run


def run_all(sizes: tuple[int, int], timed: Timer) -> list[str]:
    small, large = sizes
    lines: list[str] = []
    orgs = make_orgs("510000")
    province = next(o for o in orgs if o.region_id == "510000")
    county = next(o for o in orgs if o.region.level == "county")
    province_user, county_user = make_user(province, "bench_p"), make_user(county, "bench_c")

    make_projects(orgs, small)
    base = {
        name: timed(case, 5)
        for name, case in (
            ("province list", _list_page(province_user)),
            ("county list", _list_page(county_user)),
            ("province dashboard", _dashboard(province_user)),
        )
    }
    make_projects(orgs, large - small, seed=11)
    for name, case in (
        ("province list", _list_page(province_user)),
        ("county list", _list_page(county_user)),
        ("province dashboard", _dashboard(province_user)),
    ):
        cost = timed(case, 5)
        lines.append(
            f"{name:<20} {small:>6} projects {base[name] * 1000:8.1f} ms | "
            f"{large:>6} projects {cost * 1000:8.1f} ms | ratio {cost / base[name]:5.2f} "
            f"for {large // small}x data"
        )
    folder = Path(tempfile.mkdtemp(prefix="parklink-bench-import-"))
    small_file, large_file = _enterprise_file(1_000, folder), _enterprise_file(10_000, folder)
    one = timed(_validate_import(county_user, small_file), 2)
    ten = timed(_validate_import(county_user, large_file), 2)
    lines.append(
        f"import validation    1,000 rows {one * 1000:6.0f} ms | 10,000 rows "
        f"{ten * 1000:6.0f} ms | ratio {ten / one:5.2f} for 10x rows"
    )
    from bench.memory import run_cases

    lines.extend(run_cases(county_user.username, folder))
    one = timed(_uscc(1_000), 3)
    ten = timed(_uscc(10_000), 3)
    lines.append(
        f"USCC validation      1,000 codes {one * 1000:6.1f} ms | 10,000 codes "
        f"{ten * 1000:6.1f} ms | ratio {ten / one:5.2f} for 10x codes"
    )
    return lines
