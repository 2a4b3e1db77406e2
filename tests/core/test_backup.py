"""Backup and restore lose nothing: counts and checksums of every table are equal
after a round trip (on whichever database the suite runs: SQLite or PostgreSQL)."""
import gzip
import json

from sqlalchemy import delete, func, select

from consortium.catalog.models import DataResource
from consortium.core.backup import table_checksums
from consortium.extensions import db


def _wipe():
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def test_backup_and_restore_round_trip(runner, demo, tmp_path, browser):
    browser.login("qingdao@cdou.example")  # a session row, an audit trail, a login timestamp
    path = tmp_path / "cdou.backup.gz"
    before = table_checksums()
    assert before["data_resources"]["rows"] > 0 and before["cities"]["rows"] == 337
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    header = json.loads(gzip.open(path, "rt", encoding="utf-8").readline())
    assert header["tables"] == before and oct(path.stat().st_mode & 0o777) == "0o600"

    _wipe()
    assert table_checksums()["data_resources"]["rows"] == 0
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0 and "checksums verified" in result.output, result.output
    db.session.expire_all()
    after = table_checksums()
    assert after.pop("user_sessions")["rows"] == 0  # a restore ends every sign-in session (auth.restore)
    assert before.pop("user_sessions")["rows"] == 1 and after == before

    # the database goes on working: new rows get fresh ids (PostgreSQL sequences were reset)
    from consortium.catalog import services
    from consortium.members.services import get_member_by_code
    r = services.create_resource(None, get_member_by_code("qingdao"), code="QD-AFTER-RESTORE", title="恢复后新增",
                                 domain="health", frequency="daily", openness="open", is_public=False)
    db.session.commit()
    assert r.id > max(db.session.scalars(select(DataResource.id).where(DataResource.id != r.id)).all())
    # and the search follows at once: a member's user finds the new (non-public) entry, a visitor does
    # not (the page highlights the query inside the title, so look for the entry's link)
    link = f'href="/resources/{r.id}"'
    # the restore ended the browser's session: it is a visitor now
    assert link not in browser.get("/resources/?q=恢复后").get_data(as_text=True)
    browser.login("qingdao@cdou.example")
    assert link in browser.get("/resources/?q=恢复后").get_data(as_text=True)
    assert browser.get("/api/v1/resources?q=恢复后").get_json()["total"] == 1


def test_a_damaged_backup_is_refused_and_the_database_kept(runner, demo, tmp_path):
    path = tmp_path / "cdou.backup.gz"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    lines = gzip.open(path, "rt", encoding="utf-8").read().splitlines()
    header = json.loads(lines[0])
    header["tables"]["data_resources"]["rows"] += 1  # the file says one more entry than it holds
    damaged = tmp_path / "damaged.gz"
    with gzip.open(damaged, "wt", encoding="utf-8") as f:
        f.write("\n".join([json.dumps(header)] + lines[1:]) + "\n")
    count = db.session.scalar(select(func.count(DataResource.id)))
    result = runner.invoke(args=["restore", str(damaged), "--yes"])
    assert result.exit_code != 0 and "data_resources" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(DataResource.id))) == count


def test_a_restore_ends_sessions_and_keeps_credentials_revoked_or_changed_since_the_backup(
        runner, demo, tmp_path, browser, client):
    """The backup holds credentials as they were; what was ended, revoked or changed after it stays so."""
    from consortium.auth.models import ApiToken, User, UserSession
    from consortium.auth.services import create_api_token, revoke_api_token

    qingdao = db.session.scalar(select(User).where(User.email == "qingdao@cdou.example"))
    kept_token, kept_raw = create_api_token(None, qingdao, "监测脚本")
    leaked_token, leaked_raw = create_api_token(None, qingdao, "泄露的令牌")
    db.session.commit()
    assert browser.login("qingdao@cdou.example").status_code == 200
    path = tmp_path / "cdou.backup.gz"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0

    # after the backup: the leaked token is revoked, the password changed, a third token created
    revoke_api_token(None, leaked_token)
    qingdao.set_password("新的口令-after-the-leak-2026")
    new_hash = qingdao.password_hash
    db.session.commit()

    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert "credentials: 1 sign-in sessions ended, 1 API tokens revoked" in result.output
    db.session.expire_all()

    assert db.session.scalar(select(func.count(UserSession.id))) == 0
    assert browser.get("/me").status_code == 302  # the browser's session ended: sign in again
    auth = lambda raw: {"Authorization": f"Bearer {raw}"}  # noqa: E731
    assert client.get("/api/v1/me", headers=auth(leaked_raw)).status_code == 401
    assert client.get("/api/v1/me", headers=auth(kept_raw)).get_json()["email"] == "qingdao@cdou.example"
    assert db.session.get(ApiToken, leaked_token.id).revoked_at is not None
    assert db.session.get(User, qingdao.id).password_hash == new_hash  # the old password does not come back
    browser.login("qingdao@cdou.example")  # the demo password, valid when the backup was written
    assert browser.get("/me").status_code == 302
    browser.login("qingdao@cdou.example", "新的口令-after-the-leak-2026")
    assert browser.get("/me").status_code == 200


def test_a_restore_into_an_empty_database_revokes_every_token(runner, demo, tmp_path, client):
    from consortium.auth.models import ApiToken, User
    from consortium.auth.services import create_api_token
    qingdao = db.session.scalar(select(User).where(User.email == "qingdao@cdou.example"))
    raw = create_api_token(None, qingdao, "监测脚本")[1]
    db.session.commit()
    path = tmp_path / "cdou.backup.gz"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    _wipe()  # a new server: nothing to carry over, so nothing in the backup can be trusted as current
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.revoked_at.is_(None))) == 0
