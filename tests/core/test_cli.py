from sqlalchemy import func, select

from consortium.auth.models import User
from consortium.extensions import db
from consortium.counterparties.models import Counterparty
from consortium.members.models import Member


def test_seed_demo_is_idempotent(runner):
    first = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "21 members, 6 users, 1 counterparties" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "0 members, 0 users, 0 counterparties, 0 resources, 0 groups, 0 scenarios" in second.output
    assert db.session.scalar(select(func.count(Member.id))) == 21
    assert db.session.scalar(select(Counterparty.name)) == "蚂蚁集团"
    third = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "nothing done" in third.output


def test_seed_demo_refused_in_production(app, runner):
    app.config["DEMO_ALLOWED"] = False
    try:
        result = runner.invoke(args=["seed-demo"])
    finally:
        app.config["DEMO_ALLOWED"] = True
    assert result.exit_code != 0 and "production" in result.output
    assert db.session.scalar(select(func.count(Member.id))) == 0


def test_create_user_prompts_for_password(runner, make_member):
    make_member(name="青岛数据集团", code="qingdao")
    result = runner.invoke(args=["create-user", "li@qingdao.example", "--member", "qingdao", "--name", "李工"],
                           input="青岛-足够长的口令-9\n青岛-足够长的口令-9\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "li@qingdao.example"))
    assert user.member.code == "qingdao" and user.check_password("青岛-足够长的口令-9")


def test_create_user_rejects_weak_password_and_unknown_member(runner, make_member):
    make_member(name="青岛数据集团", code="qingdao")
    weak = runner.invoke(args=["create-user", "a@b.example", "--member", "qingdao"], input="password1\npassword1\n")
    assert weak.exit_code != 0 and "至少需要 10 个字符" in weak.output
    unknown = runner.invoke(args=["create-user", "a@b.example", "--member", "nope"], input="x" * 12 + "\n" + "x" * 12 + "\n")
    assert unknown.exit_code != 0 and "no member" in unknown.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_token_prints_a_working_token(runner, client, demo):
    token = runner.invoke(args=["create-token", "xiamen@cdou.example"]).output.strip()
    assert token.startswith("cdou_")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["email"] == "xiamen@cdou.example"


def test_demo_log_line_agrees_with_the_home_page(runner, client):
    import re
    output = runner.invoke(args=["seed-demo"]).output
    line = next(x for x in output.splitlines() if x.startswith("home page shows:"))
    members, cities, visitors, signed_in, groups = map(int, re.findall(r"(\d+) ", line)[:5])
    home = client.get("/").get_data(as_text=True)
    assert f'id="stat-members">{members}<' in home and f'id="stat-cities">{cities}<' in home
    assert re.search(rf'id="stat-resources"[^>]*>{visitors}<', home)
    assert f'<div class="stat">{groups}</div>' in home
    assert signed_in > visitors  # members see the non-public entries too
