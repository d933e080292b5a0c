"""Secret scanning: credential fields, token shapes, credentials in prose, the reviewed
allow-list; in validate, build (and plain mkdocs build) and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, write

from handover.cli import cli
from handover.records.secretwords import fingerprint, is_credential_key, scan_text

TODAY = "2026-11-21"
# Fake tokens with the real shapes (none was ever valid).
META = "EAABsbCS1iHgBAKZCZBx9hZCw3ZCjZAyJ1FZBkZAt7jZC9ZA1Hj2bZBtZCpZAlNxY"
X_BEARER = "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI"
GITHUB = "ghp_R2d2C3poR2d2C3poR2d2C3poR2d2C3po1234"
SLACK = "xoxb-263514109637-4108352218211-GkwFDQoHqzXDVsC6Tm3RsLpQ"
AWS = "AKIAQ3EGRT5ZVXJ7W2KM"  # not AWS's documented AKIAIOSFODNN7EXAMPLE: a published sample is no secret
GOOGLE = "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\n  b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"  # a block has a body


@pytest.fixture
def kb(valid_kb: Path) -> Path:
    return valid_kb


def validate(kb: Path, *args: str):
    return CliRunner().invoke(cli, ["validate", str(kb), "--format", "json", "--today", TODAY, *args])


def problems(kb: Path) -> list[dict]:
    result = validate(kb)
    assert "Traceback" not in result.output
    return json.loads(result.output)["problems"]


def secrets_of(kb: Path) -> list[tuple[str, int, int, str]]:
    return sorted((p["path"].split("kb/", 1)[1], p["line"], p["col"], p["code"]) for p in problems(kb) if p["code"][1] == "6")


def test_the_valid_corpus_and_the_bundled_kb_have_no_secret(kb: Path):
    assert secrets_of(kb) == []
    result = CliRunner().invoke(cli, ["validate", str(REPO / "kb"), "--today", TODAY])
    assert result.exit_code == 0 and " E60" not in result.output


@pytest.mark.parametrize("token", [META, X_BEARER, GITHUB, SLACK, AWS, GOOGLE, JWT, PEM])
def test_every_token_shape_is_found_in_notes_with_its_place(kb: Path, token: str):
    write(kb, "contacts/leaky.yml", f"name: Leaky\norganization: Acme\ndepartment: legal\nchannels: {{email: a@b.example}}\nnotes: |\n  Pour publier :\n  utiliser {token} sur la page\n")
    assert secrets_of(kb) == [("contacts/leaky.yml", 7, 12, "E602")]
    result = validate(kb)
    assert result.exit_code == 1 and token not in result.output  # the report never repeats the secret


@pytest.mark.parametrize("key", ["password", "Password", "passwd", "pwd", "mdp", "mot_de_passe", "mot de passe", "Mot-de-passe",
                                 "token", "access_token", "secret", "api_key", "apiKey", "API key", "client_secret",
                                 "private_key", "passphrase", "clé_api", "Clé secrète"])
def test_credential_fields_are_found_whatever_their_spelling(kb: Path, key: str):
    write(kb, "accounts/leaky.yml", "platform: x\nhandle: '@leaky'\nurl: https://x.com/leaky\nstatus: dormant\n"
          f"extra:\n  '{key}': hunter2\n")
    found = secrets_of(kb)
    assert found == [("accounts/leaky.yml", 6, 3 + len(key) + 4, "E601")], found


def test_credential_field_holding_a_list_or_a_mapping(kb: Path):
    write(kb, "accounts/leaky.yml", "platform: x\nhandle: '@leaky'\nurl: https://x.com/leaky\nstatus: dormant\n"
          "secrets:\n  instagram: abc\n  x: [one, two]\ncredentials: plain-password-here\n")
    assert secrets_of(kb) == [("accounts/leaky.yml", 6, 14, "E601"), ("accounts/leaky.yml", 7, 7, "E601"),
                              ("accounts/leaky.yml", 7, 12, "E601"), ("accounts/leaky.yml", 8, 14, "E601")]


def test_accounts_may_say_where_credentials_live(kb: Path):
    account = (kb / "accounts" / "instagram-testbikes.yml").read_text(encoding="utf-8")
    assert "credentials:" in account and "manager:" in account
    assert secrets_of(kb) == []


def test_prose_saying_where_the_password_lives_passes_but_the_password_does_not(kb: Path):
    write(kb, "incidents/pirate.md", "---\ntitle: Piratage\nstarted: 2026-01-02\nseverity: 3\nstatus: closed\n---\n"
          "Le mot de passe est dans Bitwarden, entrée Réseaux sociaux.\nMot de passe changé le 27/02/2026.\n"
          "Le secret est de répondre vite.\nAncien mdp: Velo2024!\nclé API : sk-abc123def456\n"
          "token de session : 8f3a9c2e7b1d4f6a9e0c3b5d7a2f4e6c1a\n")
    assert secrets_of(kb) == [("incidents/pirate.md", 10, 13, "E603"), ("incidents/pirate.md", 11, 11, "E603"),
                              ("incidents/pirate.md", 12, 20, "E604")]


def test_high_entropy_string_near_a_credential_word(kb: Path):
    write(kb, "incidents/key.md", "---\ntitle: Clé\nstarted: 2026-01-02\nseverity: 3\nstatus: closed\n---\n"
          "La clé API de l'outil d'écoute, valable un an, Zx9Qm2Lp8Rt4Vw7Ny3Kb6Hc1 (à révoquer).\n"
          "Sans mot clé autour : Zx9Qm2Lp8Rt4Vw7Ny3Kb6Hc1Zx9Qm2Lp8R n'est pas signalé.\n")
    assert secrets_of(kb) == [("incidents/key.md", 7, 48, "E604")]


def test_secrets_in_comments_and_in_ordinary_pages(kb: Path):
    write(kb, "team/alice-martin.yml", (kb / "team" / "alice-martin.yml").read_text(encoding="utf-8") + f"# old: {AWS}\n")
    write(kb, "guide/astuces.md", f"# Astuces\n\nLe jeton : {GOOGLE}\n")
    found = secrets_of(kb)
    lines = len((kb / "team" / "alice-martin.yml").read_text(encoding="utf-8").splitlines())
    assert found == [("guide/astuces.md", 3, 12, "E602"), ("team/alice-martin.yml", lines, 8, "E602")]


def test_allow_list_needs_a_reason_and_warns_when_unused(kb: Path):
    write(kb, "incidents/example.md", "---\ntitle: Exemple\nstarted: 2026-01-02\nseverity: 3\nstatus: closed\n---\n"
          f"Exemple de jeton révoqué cité dans la formation : {AWS}\n")
    config = kb / "handover.yml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + f"secrets_allow:\n  - file: incidents/example.md\n    fingerprint: {fingerprint(AWS)}\n"
                      "    reason: AWS's documented example key, revoked; reviewed by Alice on 2026-11-20\n"
                      "  - file: incidents/gone.md\n    match: something\n    reason: was a false positive\n"
                      "  - file: incidents/example.md\n    match: whatever\n", encoding="utf-8")
    found = {(p["code"], p["line"]) for p in problems(kb) if p["code"][1] == "6"}
    start = len(base.splitlines()) + 2
    assert found == {("W606", start + 3), ("E605", start + 6)}  # the token itself is allowed
    config.write_text(base + f"secrets_allow:\n  - file: incidents/example.md\n    match: {AWS}\n    reason: revoked example\n", encoding="utf-8")
    assert secrets_of(kb) == []
    assert validate(kb).exit_code == 0


def test_messages_say_how_to_allow_and_never_show_the_secret(kb: Path):
    write(kb, "contacts/leaky.yml", "name: Leaky\norganization: Acme\ndepartment: legal\nchannels: {email: a@b.example}\nnotes: 'mdp: Velo2024!'\n")
    result = CliRunner().invoke(cli, ["validate", str(kb), "--today", TODAY])
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "E603" in line)
    assert line.startswith(f"{kb}/contacts/leaky.yml:5:14: error E603") or "contacts/leaky.yml:5:14: error E603" in line
    assert "Velo2024!" not in result.output and fingerprint("Velo2024!") in line and "secrets_allow" in line


def test_build_and_export_refuse_secrets(kb: Path, tmp_path: Path):
    write(kb, "contacts/leaky.yml", f"name: Leaky\norganization: Acme\ndepartment: legal\nchannels: {{email: a@b.example}}\nnotes: {GITHUB}\n")
    build = CliRunner().invoke(cli, ["build", str(kb), "-d", str(tmp_path / "site"), "--today", TODAY])
    assert build.exit_code == 1 and "E602" in build.output and not (tmp_path / "site").exists()
    export = CliRunner().invoke(cli, ["export", "--kb", str(kb), "-o", str(tmp_path / "p.zip"), "--today", TODAY])
    assert export.exit_code == 1 and "1 secret(s)" in export.output and not (tmp_path / "p.zip").exists()
    assert GITHUB not in build.output + export.output


def test_key_and_text_rules_directly():
    assert is_credential_key("mot_de_passe") and is_credential_key("Mot de passe") and is_credential_key("refresh_token")
    assert not any(is_credential_key(k) for k in ("credentials", "manager", "passage", "secret_santa", "token_count", "tokens_used_by"))
    assert [f.rule for f in scan_text("Bearer " + X_BEARER)] == ["shape"]
    assert list(scan_text("voir https://example.com/token/abcDEF123456ghiJKL789xyz")) == []
    assert list(scan_text("le mot de passe est dans Bitwarden ; la passphrase aussi")) == []


def test_plain_mkdocs_build_refuses_secrets(kb: Path, tmp_path: Path):
    import os
    import subprocess
    import sys

    write(kb, "contacts/leaky.yml", f"name: Leaky\norganization: Acme\ndepartment: legal\nchannels: {{email: a@b.example}}\nnotes: {SLACK}\n")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: T\ndocs_dir: {kb}\nplugins:\n  - handover\n", encoding="utf-8")
    process = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp_path / "mkdocs.yml"), "-d", str(tmp_path / "site")],
                             check=False, capture_output=True, text=True, env={**os.environ, "HANDOVER_TODAY": TODAY})
    assert process.returncode == 1 and "E602" in process.stderr and SLACK not in process.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_markdown_emphasis_around_prose_is_not_a_password():
    assert list(scan_text("- **L'analyse des secrets est heuristique.** Elle connaît les mots")) == []
    assert [f.text for f in scan_text("**mdp : Velo2024!**")] == ["Velo2024!"]


# --- issue 16: the false-positive classes, the misses, and files that do not parse ---

def test_a_placeholder_the_response_declares_is_never_a_secret(kb: Path):
    write(kb, "responses/acces.md", "---\ntitle: Accès\nwhen: [mot de passe perdu]\nplatforms: [facebook]\nlanguage: fr\ncharter: [r]\n"
          "status: draft\nvariables:\n  lien_aide:\n    description: Lien\n    fallback: https://example.org/aide\n---\n\n"
          "Mot de passe : {lien_aide}\nLe mot de passe est {lien_aide}2026 pour ce test.\nAncien mdp: Velo2024!\n")
    found = [f for f in secrets_of(kb) if f[0] == "responses/acces.md"]
    assert found == [("responses/acces.md", 16, 13, "E603")]  # only the real password, not the placeholders


@pytest.mark.parametrize("text", [
    "Soirée xoxo-summer-party-2026 : inscriptions ouvertes",  # a word that starts like a Slack token
    "TODAYINASIAASACKOFRICEFELLOVER, ASIAPACIFICREGIONALOFFICE",  # ASIA inside a capitalised word
    "Un jeton GitHub ressemble à ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx (40 caractères).",  # a guide shows a token's shape
    "Exemple de clé AWS : AKIAIOSFODNN7EXAMPLE",  # AWS's documented example
    "password: ${SMTP_PASSWORD}", "secret = <votre-secret>", "token: {{ vault_token }}", "mot de passe : %s",
    "Le mot de passe est dans Bitwarden, entrée Réseaux sociaux.",
    "passwordVariable: 'PASSWORD'", "secret_length = X25519.secret_length", "csrf-token=Mj2qykJO5rELyHgezQ69nzUX0i3OH67V7+V4eUrLfpuyOuxm",
])
def test_stand_ins_and_ordinary_words_are_not_secrets(text: str):
    assert list(scan_text(text)) == []


@pytest.mark.parametrize(("text", "secret"), [
    ("twitterToken = 'eohledwspzzsftthhxh2n6uyb'", "eohledwspzzsftthhxh2n6uyb"),  # camelCase name
    ('facebookToken = "a7246963a04dc7f13050a4bade4dfa89"', "a7246963a04dc7f13050a4bade4dfa89"),
    ("https://hooks.slack.com/services/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", "https://hooks.slack.com/services/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"),
    ("slack: xapp-1-A052FGTS2DL-5171572773297-610b6a11f4b7eb819e87b767d80e6575a3634791acb9a9ead051da879eb5b55e",
     "xapp-1-A052FGTS2DL-5171572773297-610b6a11f4b7eb819e87b767d80e6575a3634791acb9a9ead051da879eb5b55e"),
    ("clé : ABIAVIVHRTKJPARU62LG", "ABIAVIVHRTKJPARU62LG"), ("ACCAXGLRVJFLLLBG42FG", "ACCAXGLRVJFLLLBG42FG"),
    ("app token 911602140448729|AY-lRJZq9BoDLobvAiP25L7RcMg", "911602140448729|AY-lRJZq9BoDLobvAiP25L7RcMg"),  # Meta APPID|secret
    ('password = "cheval correct agrafe batterie"', "cheval correct agrafe batterie"),  # a passphrase, spaces and all
    ("base: https://admin:Velo2024x@db.example.org/prod", "Velo2024x"),  # a password in a web address
])
def test_issue_16_misses_are_found(text: str, secret: str):
    assert [f.text for f in scan_text(text)] == [secret]


def test_a_record_with_a_yaml_error_is_still_scanned(kb: Path):
    write(kb, "contacts/broken.yml", f"name: Broken\norganization: [unclosed\nnotes: {GITHUB}\n")
    found = problems(kb)
    assert any(p["code"].startswith("E1") and p["path"].endswith("contacts/broken.yml") for p in found)  # the syntax error
    assert ("contacts/broken.yml", 3, 8, "E602") in secrets_of(kb)


@pytest.mark.parametrize("text", ["token" * 20000, "a." * 50000 + "token: b", "https://" + "a" * 30000 + ":" + "b" * 30000,
                                  "x" * 5000 + "!", "password = " + "a." * 30000 + "("])
def test_long_hostile_lines_are_scanned_in_linear_time(text: str):
    import time

    from handover.records.secretwords import is_credential_key

    start = time.perf_counter()
    list(scan_text(text))
    is_credential_key(text[:5000])
    assert time.perf_counter() - start < 5  # seconds; the regexes once backtracked for minutes here


def test_the_prefilter_passes_weak_words_only_where_they_can_name_a_secret():
    """auth, cred and key alone (an account's `credentials:` mapping, a surname, a
    security key) are not looked at closer, unless they name a value, a tag or a
    comparison, or `credentials` holds something other than a mapping."""
    from handover.records.secretfilter import suspect

    token = "Zq8xT3vB9mK2pL7wN4rJ6hF1"
    for harmless in ("credentials:\n  manager: Bitwarden\n  entry: Instagram\n", "name: Marie Gauthier\n", "  method: security-key\n",
                     "## La sécurité passe avant tout\n", "## Passer en privé\n"):
        assert not suspect(harmless) and not list(scan_text(harmless))
    for text in (f'auth = "{token}"', f"Gauthier: {token}", f"<creds>\n  {token}\n</creds>", f'if ("{token}" == auth)', f"sshKey: {token}"):
        assert suspect(text) and list(scan_text(text)), text
    for text in ("credentials: hunter2\n", "credentials:\n  - hunter2\n", "credentials:\n  hunter2\n", "? credentials\n: hunter2\n", '"credentials": x\n', "api key: Velo2024!",
                 "mot dé passe : Velo2024!", "passe = Velo2024!"):
        assert suspect(text), text
