"""The board's funnel counts replications that reached AT LEAST each stage, from their
history, with 停滞 and 退出 apart; the same numbers as the page shows."""
from consortium.extensions import db
from consortium.scenarios import services
from consortium.scenarios.queries import board_funnel

from .conftest import days_ago


def _walk(rep, *stages):
    for n, stage in enumerate(stages):
        services.change_stage(None, rep, stage, occurred_on=days_ago(50 - n), reason="回退原因")


def test_funnel_counts_the_furthest_stage_reached(world, make_member):
    wenzhou = make_member("温州大数据公司", city="温州", code="wenzhou")
    reps = {m.code: services.start_replication(None, world.scenario, m, occurred_on=days_ago(60))
            for m in (world.xiamen, world.fuzhou, world.chengdu, wenzhou)}
    _walk(reps["xiamen"], "matching", "data_ready", "pilot", "live")     # reached 上线
    _walk(reps["fuzhou"], "matching", "data_ready", "pilot", "stalled")  # 停滞 after a pilot
    _walk(reps["chengdu"], "matching", "withdrawn")                      # 退出 after 对接
    db.session.commit()                                                  # 温州: 意向 only
    funnel = board_funnel(group_id=world.group.id)
    assert funnel.reached == {"interest": 4, "matching": 3, "data_ready": 2, "pilot": 2, "live": 1}
    assert (funnel.stalled, funnel.withdrawn, funnel.total) == (1, 1, 4)
    # monotonic by construction, and filters narrow it
    assert board_funnel(group_id=world.group.id, stage="stalled").reached == {
        "interest": 1, "matching": 1, "data_ready": 1, "pilot": 1, "live": 0}
    assert board_funnel([]).reached["interest"] == 0


def test_board_shows_the_funnel_and_applies_the_stage_filter(world, client, browser):
    rep = services.start_replication(None, world.scenario, world.fuzhou, occurred_on=days_ago(80))
    _walk(rep, "matching", "pilot")
    services.start_replication(None, world.scenario, world.chengdu, occurred_on=days_ago(5))
    db.session.commit()
    browser.login("lead@xiamen.example")
    html = client.get("/scenarios/groups/transport/board").get_data(as_text=True)
    table = html[html.index('id="funnel-table"'):html.index("</table>", html.index('id="funnel-table"'))]
    assert 'data-stage="interest">2<' in table and 'data-stage="matching">1<' in table
    assert 'data-stage="pilot">1<' in table and 'data-stage="live">0<' in table
    filtered = client.get("/scenarios/groups/transport/board?stage=interest").get_data(as_text=True)
    table = filtered[filtered.index('id="funnel-table"'):]
    assert 'data-stage="interest">1<' in table and 'data-stage="matching">0<' in table


def test_where_next_explains_the_score_and_links_missing_data(world, client, browser):
    browser.login("lead@xiamen.example")
    html = client.get(f"/scenarios/{world.scenario.id}/where-next").get_data(as_text=True)
    assert 'id="readiness-explained"' in html and "80" in html and "25%" in html
    # 福州 and 成都 have no entries: both needs link to the resource map, filtered by domain and keyword
    assert html.count('class="need-link"') >= 2
    assert "/resources/?domain=transport&amp;q=%E5%AE%9E%E6%97%B6%E4%BD%8D%E7%BD%AE" in html


def test_english_pages_name_cities_and_provinces_in_english(world, client, browser):
    services.start_replication(None, world.scenario, world.fuzhou, occurred_on=days_ago(3))
    db.session.commit()
    browser.login("lead@xiamen.example")
    client.get("/lang/en")
    board = client.get("/scenarios/groups/transport/board").get_data(as_text=True)
    matrix = board[board.index('id="board-matrix"'):]
    assert "Fuzhou" in matrix and "Fujian" in matrix and "福州市" not in matrix
    ranked = client.get(f"/scenarios/{world.scenario.id}/where-next").get_data(as_text=True)
    table = ranked[ranked.index('id="where-next"'):]
    assert "Chengdu" in table and "Sichuan" in table and "成都市" not in table


def test_the_boards_charts_count_exactly_the_replications_it_shows_under_every_filter(world, client, browser):
    """The board asks the database for its funnel and timeline with the board's own filters (not
    13,000 ids): under each filter the funnel equals the funnel of the cells the matrix shows."""
    import re
    from consortium.scenarios import board as board_data
    reps = {m.code: services.start_replication(None, world.scenario, m, occurred_on=days_ago(300))
            for m in (world.xiamen, world.fuzhou, world.chengdu)}
    _walk(reps["xiamen"], "matching", "pilot", "live")
    services.change_stage(None, reps["fuzhou"], "matching", occurred_on=days_ago(world.group.stall_days + 30),
                          reason="")                        # quiet for longer than the group allows: flagged
    services.change_stage(None, reps["chengdu"], "matching", occurred_on=days_ago(2), reason="")
    db.session.commit()
    browser.login("lead@xiamen.example")
    province = world.chengdu.city.province.code
    counts = {}
    for query in ("", "?stage=matching", "?stage=live", "?stage=stalled_flag", f"?province={province}",
                  f"?scenario={world.scenario.id}&stage=matching"):
        html = client.get("/scenarios/groups/transport/board" + query).get_data(as_text=True)
        table = html[html.index('id="funnel-table"'):html.index("</table>", html.index('id="funnel-table"'))]
        shown = dict(re.findall(r'data-stage="(\w+)">(\d+)<', table))
        args = dict(p.split("=") for p in query.lstrip("?").split("&") if p)
        data = board_data.build_board(world.group, stage=args.get("stage"), province=args.get("province"),
                                      scenario_id=int(args["scenario"]) if "scenario" in args else None)
        expected = board_funnel([c.replication_id for c in data.cells.values()])
        assert {k: int(v) for k, v in shown.items()} == {**expected.reached, "stalled": expected.stalled,
                                                          "withdrawn": expected.withdrawn}, query
        counts[query] = expected
    assert counts["?stage=live"].reached["live"] == 1 and counts["?stage=live"].total == 1
    assert counts["?stage=matching"].total == 2
    assert counts["?stage=stalled_flag"].total == 1 and counts["?stage=stalled_flag"].reached["matching"] == 1
    assert counts[f"?province={province}"].total == 1
