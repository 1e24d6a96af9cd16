"""Every environment variable the settings read is documented, and read."""

import re

from tests.test_platform import ROOT, run_manage

SETTINGS_READ = re.compile(r"env_(?:str|bool|int|list)\(\s*\"([A-Z][A-Z0-9_]*)\"")


def names_read() -> set[str]:
    return {name for path in (ROOT / "config").rglob("*.py") for name in SETTINGS_READ.findall(path.read_text())}


def readme_configuration() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme[readme.index("## Configuration") : readme.index("\n## ", readme.index("## Configuration") + 1)]


def test_every_setting_read_from_the_environment_is_in_env_example_and_the_readme():
    example = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    table = readme_configuration()
    wildcards = re.findall(r"`([A-Z][A-Z0-9_]*_)\*`", table)

    def in_table(name):
        return f"`{name}`" in table or any(name.startswith(prefix) for prefix in wildcards)

    assert "DJANGO_WEB_PROCESS" in names_read()
    assert sorted(names_read() - example) == []
    assert sorted(name for name in names_read() if not in_table(name)) == []


def test_the_sqlite_busy_timeout_comes_from_the_environment():
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['timeout'])",
    ]
    sqlite = {"DJANGO_DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"}

    assert run_manage(*show, **sqlite).stdout.split() == ["20"]
    assert run_manage(*show, **sqlite, SQLITE_BUSY_TIMEOUT_SECONDS="7").stdout.split() == ["7"]
