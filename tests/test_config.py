import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.cli import main
from pos.config import ConfigError, load_settings


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("TILL_CONFIG", str(path))
    return path


def test_defaults_without_a_file(config_file):
    settings = load_settings()
    assert settings.till_id == "till-1" and settings.timezone == "Europe/London"
    assert settings.db.name == "till.db" and "community-till" in str(settings.db)


def test_file_then_environment_then_arguments(config_file, monkeypatch, tmp_path):
    config_file.write_text('till_id = "cafe"\ndb = "/srv/from-file.db"\n[society]\nname = "Estate Café"\nvat_registered = true\nvat_number = "GB1"\n')
    settings = load_settings()
    assert (settings.till_id, settings.society.name, settings.society.vat_registered) == ("cafe", "Estate Café", True)
    monkeypatch.setenv("TILL_DB", str(tmp_path / "env.db"))
    assert load_settings().db == tmp_path / "env.db"
    assert load_settings(db=tmp_path / "arg.db").db == tmp_path / "arg.db"


@pytest.mark.parametrize("text, words", [
    ('till_id = "two words"', "'till_id'"),
    ('timezone = "Mars/Olympus"', "not a time zone"),
    ('colour = "blue"', "'colour' is not a setting"),
    ('[society]\nvat_registered = "perhaps"', "'society.vat_registered'"),
    ('[society]\nvat_registered = true', "vat_number is needed"),
    ('volunteer_discount_limit_percent = 150', "'volunteer_discount_limit_percent'"),
    ('till_id = "unterminated', "not valid TOML"),
])
def test_a_bad_file_names_the_key_and_the_problem(config_file, text, words):
    config_file.write_text(text)
    with pytest.raises(ConfigError, match=words):
        load_settings()


def test_the_cli_reports_a_bad_config_without_a_traceback(config_file, capsys):
    config_file.write_text("till_id = [")
    assert main(["report", "x", "--by", "Sam Ortiz"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("till: The settings file") and "Traceback" not in err


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_config_text_loads_or_says_why(config_file, text):
    config_file.write_text(text, encoding="utf-8")
    try:
        load_settings()
    except ConfigError as error:
        assert str(error)


def test_printer_settings_are_checked(config_file):
    config_file.write_text('[printer]\nspec = "network:"\n')
    with pytest.raises(ConfigError, match="printer.spec"):
        load_settings()
    config_file.write_text('[printer]\ncolumns = 40\n')
    with pytest.raises(ConfigError, match="printer.columns"):
        load_settings()
    config_file.write_text('[printer]\nspec = "usb:04b8:0202"\ncolumns = 32\n[receipt]\nfooter = ["Ta!"]\n')
    settings = load_settings()
    assert settings.printer.columns == 32 and settings.receipt.footer == ["Ta!"]


def test_the_readme_example_settings_file_is_valid(tmp_path, monkeypatch):
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## Configuration.*?```toml\n(.*?)```", readme, re.S).group(1)
    config = tmp_path / "config.toml"
    config.write_text(example, encoding="utf-8")
    monkeypatch.setenv("TILL_CONFIG", str(config))
    from pos.config import load_settings

    settings = load_settings()
    assert settings.society.name and settings.centre.whats_on and settings.time_credit_categories


@pytest.mark.parametrize("text, key", [
    ('[society]\nnmae = "Estate Café"', "society.nmae"),
    ('[printer]\ncolums = 40', "printer.colums"),
    ('[receipt]\nfootr = ["Ta"]', "receipt.footr"),
    ('[coop]\nshare_vaule_pence = 100', "coop.share_vaule_pence"),
    ('[centre]\nthreshold = 10', "centre.threshold"),
    ('[backup]\nfolder = "/mnt/usb"', "backup.folder"),
    ('[[centre.whats_on]]\ntext = "Stay and play"\nlink = "https://example.org"', "centre.whats_on.0.link"),
])
def test_a_typo_inside_a_section_is_named_like_one_at_the_top(config_file, text, key):
    config_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == f"In the settings ({config_file}), '{key}' is not a setting the till knows"


def test_a_typo_in_a_nested_environment_variable_is_refused(config_file, monkeypatch):
    monkeypatch.setenv("TILL_PRINTER__COLUMS", "40")
    with pytest.raises(ConfigError, match="'printer.colums' is not a setting"):
        load_settings()


def test_messages_keep_the_values_as_written(config_file):
    config_file.write_text('timezone = "Europe/Londn"', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).endswith("'timezone' 'Europe/Londn' is not a time zone name such as Europe/London")
    config_file.write_text('[printer]\nspec = "network:Printer.Local:99999"', encoding="utf-8")
    with pytest.raises(ConfigError, match="'99999' is not a port"):
        load_settings()
    config_file.write_text('[printer]\ncolumns = 40', encoding="utf-8")  # pydantic's own words: first letter only
    with pytest.raises(ConfigError, match="'printer.columns' input should be 32, 42 or 48$"):
        load_settings()


def test_the_till_id_rule_is_said_in_words(config_file):
    config_file.write_text('till_id = "Till 1"', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.endswith("'till_id' may use only letters, digits, - and _") and "^[" not in message


def test_paper_width_from_the_environment(config_file, monkeypatch):
    monkeypatch.setenv("TILL_PRINTER__COLUMNS", "32")
    assert load_settings().printer.columns == 32
    monkeypatch.setenv("TILL_PRINTER__COLUMNS", "40")
    with pytest.raises(ConfigError, match="printer.columns"):
        load_settings()
