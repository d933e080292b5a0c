"""How tests/evaluation/secrets_cases.yaml was built (run once, before the detector
was tuned; kept so that the set can be checked and rebuilt, not run by the tests).

Every string comes from a public secret scanner's rule tests (see SOURCES.md): the
literal lines of those tests as they are, and literal secrets of those tests set in
gitleaks' 25 sample templates (cmd/generate/config/utils/generate.go,
GenerateSampleSecrets: `{i}Token = "{s}"`, `{i}_token: {s}`…), the same expansion
../shared/data/secrets/cases.json uses. Strings already in the shared set are left
out. Each case gets its split from a hash of its text, fixed before any tuning:
one in three is HELD-OUT and is never looked at to change the detector.

    python tests/evaluation/build_secrets_cases.py > tests/evaluation/secrets_cases.yaml
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data" / "secrets" / "cases.json"

GL = "gitleaks/gitleaks"
TH = "trufflesecurity/trufflehog"
DS = "Yelp/detect-secrets"

# gitleaks' sample templates, {i}: the identifier, {I}: it in capitals, {s}: the secret.
TEMPLATES = {
    "ini - quoted1": '{i}Token="{s}"',
    "ini - quoted2": '{i}Token = "{s}"',
    "ini - unquoted1": "{i}Token={s}",
    "ini - unquoted2": "{i}Token = {s}",
    "json - string": '{{\n    "{i}_token": "{s}"\n}}',
    "json - escaped newline in string": '{{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}}',
    "xml - element multiline": "<{i}Token>\n    {s}\n</{i}Token>",
    "yaml - singleline - unquoted": "{i}_token: {s}",
    "yaml - singleline - single quote": "{i}_token: '{s}'",
    "yaml - singleline - double quote": '{i}_token: "{s}"',
    "C#": 'string {i}Token = "{s}";',
    "go - normal": 'var {i}Token string = "{s}"',
    "go - short": '{i}Token := "{s}"',
    "go - backticks": "{i}Token := `{s}`",
    "java": 'String {i}Token = "{s}";',
    "kotlin - notype": 'var {i}Token = "{s}"',
    "php - string concat": '${i}Token .= "{s}"',
    "python - single quote": "{i}Token = '{s}'",
    "misc - comma operator": 'System.setProperty("{I}_TOKEN", "{s}")',
    "logstash": '  "{i}Token" => "{s}"',
    "make - recursive assignment": '{i}_TOKEN = "{s}"',
    "make - simple assignment": '{i}_TOKEN := "{s}"',
    "make - shell assignment": '{i}_TOKEN ::= "{s}"',
    "make - evaluated shell assignment": '{i}_TOKEN :::= "{s}"',
    "make - conditional assignment": '{i}_TOKEN ?= "{s}"',
}

# (family, identifier, secret, where the secret comes from)
EXPANDED = [
    ("aws", "aws", "ABIAS9L8MS5IPHTZPPUQ", f"{TH} pkg/detectors/aws/access_keys/accesskey_test.go@27ac2106 (valid pattern)"),
    ("aws", "aws", "AKIAWGXZ9OPDOWUJMZGI", f"{TH} pkg/detectors/aws/access_keys/accesskey_test.go@27ac2106 (valid pattern - xml)"),
    ("x", "twitter", "6pvFJmFvkNjdMImKVWF1NOZ%9n5K8rIH4JOfczZSg5uAsHErlQY6c5TrAygcZYF9WttO1m4LGhg0IUbFgXcaXtAmH4SnIb5cHac0sNcQHVKXZgaKxMqw1Fvt87RcyYKJ1bSP0BGPE%p912wZKbAkTcRfglLMyrcV6aMnuxbj7ctFoulIgFw8Aljzv87cs4",
     f"{TH} pkg/detectors/twitter/v2/twitter_v2_test.go@3d097deb (validPattern)"),
    ("meta", "facebook", "911602140448729|AY-lRJZq9BoDLobvAiP25L7RcMg", f"{GL} cmd/generate/config/rules/facebook.go@d88bc094 (facebook-access-token tp)"),
    ("meta", "facebook", "6dca6432e45d933e13650d1882bd5e69", f"{GL} cmd/generate/config/rules/facebook.go@d88bc094 (facebook-secret tp)"),
    ("slack", "slack", "xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1MBS", f"{GL} cmd/generate/config/rules/slack.go@02788fb5 (bot_token2)"),
    ("slack", "slack", "https://hooks.slack.com/services/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", f"{GL} cmd/generate/config/rules/slack.go@02788fb5 (slack-webhook-url tp)"),
    ("google", "gcp", "AIzaSyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-", f"{GL} cmd/generate/config/rules/gcp.go@0073de5a (gcp-api-key tp)"),
    ("stripe", "stripe", "sk_live_ReTllpYQYfIZu2Jnf2lAPFjD", f"{DS} tests/plugins/stripe_key_test.py@30ecb2da"),
    ("github", "github", "2764d47e6bf540911b7da8fe55caa9451e783549", f"{DS} tests/plugins/gh_v2_test.py@8ee25283 (a classic 40-hex token)"),
    ("jwt", "jwt", "eyJhbGciOiJSUzI1NiIsImtpZCI6IjMwMzViYjg2ZDk5ZjIyZTYxMzQ2N2E2NjgwODI1ZWViMGQ4MTM5YTIiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2FjY291bnRzLmdvb2dsZS5jb20iLCJzdWIiOiJ1c2VyMSIsImlhdCI6OTAwMDAwMDAwMCwiZXhwIjo5OTk5OTk5OTk5fQ.dGhpc19pc19hX2Zha2Vfc2lnbmF0dXJlX25vdF92YWxpZA",
     f"{TH} pkg/detectors/jwt/jwt_test.go@4a498e84 (TestJwt_SkipUnverified)"),
]

RSA = """-----BEGIN RSA PRIVATE KEY-----
MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu
KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm
o3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88vQENZiRm0GRq6a+HPGQMd2k
TQIhAKMSvzIBnni7ot/OSie2TmJLY4SwTQAevXysE2RbFDYdAiEBCUEaRQnMnbp7
9mxDXDf6AU0cN/RPBjb9qSHDcWZHGzUCIG2Es59z8ugGrDY+pxLQnwfotadxd+Uy
v/Ow5T0q5gIJAiEAyS4RaI9YG8EWx/2w0T67ZUVAw8eOMB6BIUg0Xcu+3okCIBOs
/5OiPgoTdSy7bcF9IGpSE8ZgGKzgYQVZeN97YE00
-----END RSA PRIVATE KEY-----"""

JWT_PS384 = ("eyJhbGciOiJQUzM4NCIsInR5cCIgOiAiSldUIiwia2lkIiA6ICJMeDFGbWF5UDJZQnR4YXFTMVNLSlJKR2lYUktudzJvdjVXbVlJTUctQkxFIn0."
             "eyJleHAiOjE2MTU0MDY5ODIsImlhdCI6MTYxNTQwNjkyMiwianRpIjoiMGY2NGJjYTktYjU4OC00MWFhLWFkNDEtMmFmZDM2OGRmNTFkIiwiaXNzIjoiaHR0cDovL2xvY2FsaG9zdDo4MDgwL2F1dGgvcmVhbG1zL21hc3RlciIsImF1ZCI6ImFjY291bnQiLCJzdWIiOiJhZDEyOGRmMS0xMTQwLTRlNGMtYjA5Ny1hY2RjZTcwNWJkOWIiLCJ0eXAiOiJCZWFyZXIiLCJhenAiOiJ0b2tlbmRlbG1lIiwiYWNyIjoiMSIsInJlYWxtX2FjY2VzcyI6eyJyb2xlcyI6WyJvZmZsaW5lX2FjY2VzcyIsInVtYV9hdXRob3JpemF0aW9uIl19LCJyZXNvdXJjZV9hY2Nlc3MiOnsiYWNjb3VudCI6eyJyb2xlcyI6WyJtYW5hZ2UtYWNjb3VudCIsIm1hbmFnZS1hY2NvdW50LWxpbmtzIiwidmlldy1wcm9maWxlIl19fSwic2NvcGUiOiJlbWFpbCBwcm9maWxlIiwiY2xpZW50SG9zdCI6IjE3Mi4yMC4wLjEiLCJjbGllbnRJZCI6InRva2VuZGVsbWUiLCJlbWFpbF92ZXJpZmllZCI6ZmFsc2UsInByZWZlcnJlZF91c2VybmFtZSI6InNlcnZpY2UtYWNjb3VudC10b2tlbmRlbG1lIiwiY2xpZW50QWRkcmVzcyI6IjE3Mi4yMC4wLjEifQ."
             "Rxrq41AxbWKIQHWv-Tkb7rqwel3sKT_R_AGvn9mPIHqhw1m7nsQWcL9t2a_8MI2hCwgWtYdgTF1xxBNmb2IW3CZkML5nGfcRrFvNaBHd3UQEqbFKZgnIX29h5VoxekyiwFaGD-0RXL83jF7k39hytEzTatwoVjZ-frga0KFl-nLce3OwncRXVCGmxoFzUsyu9TQFS2Mm_p0AMX1y1MAX1JmLC3WFhH3BohhRqpzBtjSfs_f46nE1-HKjqZ1ERrAc2fmiVJjmG7sT702JRuuzrgUpHlMy2juBG4DkVcMlj4neJUmCD1vZyZBRggfaIxNkwUhHtmS2Cp9tOcwNu47tSg")
HS256_CLAIMS = "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdCI6MTUxNjIzOTAyMn0"

M = "m{{h}o)p${e]nob(ody[finds>-_$#thisone}}"
DSK = f"{DS} tests/plugins/keyword_test.py@0e8925d6"

# (family, expect, text, source, note)
LITERAL: list[tuple[str, bool, str, str, str]] = [
    # --- AWS ---
    ("aws", True, "aws credentials{\n\tid: ABIAS9L8MS5IPHTZPPUQ\n\tsecret: .v2QPKHl7LcdVYsjaR4LgQiZ1zw3MAnMyiondXC63;\n}", f"{TH} pkg/detectors/aws/access_keys/accesskey_test.go@27ac2106", "valid pattern"),
    ("aws", True, "<com.cloudbees.plugins.credentials.impl.StringCredentialsImpl>\n  <scope>GLOBAL</scope>\n  <id>{AKIAWGXZ9OPDOWUJMZGI}</id>\n  <secret>{AQAAABAAA .v2QPKHl7LcdVYsjaR4LgQiZ1zw3MAnMyiondXC63;}</secret>\n</com.cloudbees.plugins.credentials.impl.StringCredentialsImpl>", f"{TH} pkg/detectors/aws/access_keys/accesskey_test.go@27ac2106", "valid pattern - xml"),
    ("aws", True, "aws credentials{\n\tid: ABIAS9L8MS5IPHTZPXUR\n\tsecret: v2QPKHl7LcdVYsjaR4LgQiZ1zw3MAnMyiondDD21\n}", f"{TH} pkg/detectors/aws/access_keys/accesskey_test.go@27ac2106", "valid pattern - multiple secrets"),
    ("aws", True, "AKIASP2TPHJSQH3FJRUX:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", f"{TH} pkg/detectors/aws/access_keys/accesskey_test.go@27ac2106", "canary token: a real key, flagged"),
    ("aws", False, "aws credentials{\n\tid: AKIAs9L8MS5iPHTZPPUQ\n\tsecret: $YenOG.PKHl7LcdVYsjaR4LgQiZ1zw3MAnMyiondXC63;\n}", f"{TH} pkg/detectors/aws/access_keys/accesskey_test.go@27ac2106", "invalid pattern (lowercase in the id)"),
    ("aws", False, "key = AKIAXXXXXXXXXXXXXXXX", f"{GL} cmd/generate/config/rules/aws.go@0b3e6758", "fp: low entropy"),
    ("aws", False, "msgstr \"Näytä asiakirjamallikansio.\"", f"{GL} cmd/generate/config/rules/aws.go@0b3e6758", "fp: lowercase"),
    ("aws", False, "TODAYINASIAASACKOFRICEFELLOVER", f"{GL} cmd/generate/config/rules/aws.go@0b3e6758", "fp: wrong length"),
    ("aws", False, "CTTCATAGGGTTCACGCTGTGTAAT-ACG--CCTGAGGC-CACA-AGGGGACTTCAGCAACCGTCGGG-GATTC-ATTGCCA-A--TGGAAGCAATC-TA-TGGGTTA-TCGCGGAGTCCGCAAAGACGGCCAGTATG-AAGCAGATTTCGCAC-CAATGTGACTGCATTTCGTG-ATCGGGGTAAGTA-TC-GCCGATTC-GC--CCGTCCA-AGT-CGAAG-TA--GGCAATATAAAGCTGC-CATTGCCGAAGCTATCTCGCTA-TACTTGAT-AATCGGCGG-TAG-CACAG-GTCGCAGTATCG-AC-T--AGG-CCTCTCAAAAGTT-GGGTCCCGGCCTCTGGGAAAAACACCTCT-A-AGCGTCAATCAGCTCGG", f"{GL} cmd/generate/config/rules/aws.go@0b3e6758", "fp: DNA sequence (first 300 characters)"),
    # --- X ---
    ("x", True, "twitter token = '6pvFJmFvkNjdMImKVWF1NOZ%9n5K8rIH4JOfczZSg5uAsHErlQY6c5TrAygcZYF9WttO1m4LGhg0IUbFgXcaXtAmH4SnIb5cHac0sNcQHVKXZgaKxMqw1Fvt87RcyYKJ1bSP0BGPE%p912wZKbAkTcRfglLMyrcV6aMnuxbj7ctFoulIgFw8Aljzv87cs4'", f"{TH} pkg/detectors/twitter/v2/twitter_v2_test.go@3d097deb", "valid pattern - with keyword twitter"),
    # --- Meta ---
    ("meta", True, '{"facebook access_token":"911602140448729|AY-lRJZq9BoDLobvAiP25L7RcMg","token_type":"bearer"}', f"{GL} cmd/generate/config/rules/facebook.go@d88bc094", "facebook-access-token tp"),
    ("meta", True, "facebook 1308742762612587|rhoK1cbv0DOU_RTX_87O4MkX7AI", f"{GL} cmd/generate/config/rules/facebook.go@d88bc094", "facebook-access-token tp"),
    ("meta", True, "facebook 1477036645700765|wRPf2v3mt2JfMqCLK8n7oltrEmc", f"{GL} cmd/generate/config/rules/facebook.go@d88bc094", "facebook-access-token tp"),
    ("meta", True, 'facebook_app_secret = "6dca6432e45d933e13650d1882bd5e69"', f"{GL} cmd/generate/config/rules/facebook.go@d88bc094", "facebook-secret tp"),
    ("meta", True, "facebook_client_access_token: 26f5fd13099f2c1331aafb86f6489692", f"{GL} cmd/generate/config/rules/facebook.go@d88bc094", "facebook-secret tp"),
    ("meta", True, "EAAM9GOnCB9kBO2frzOAWGN2zMnZClQshlWydZCrBNdodesbwimx1mfVJgqZBP5RSpMfUzWhtjTTXHG5I1UlvlwRZCgjm3ZBVGeTYiqAAoxyED6HaUdhpGVNoPUwAuAWWFsi9OvyYBQt22DGLqMIgD7VktuCTTZCWKasz81Q822FPhMTB9VFFyClNzQ0NLZClt9zxpsMMrUZCo1VU1rL3CKavir5QTfBjfCEzHNlWAUDUV2YZD", f"{GL} cmd/generate/config/rules/facebook.go@d88bc094", "facebook-page-access-token tp"),
    ("meta", True, "EAAM9GOnCB9kBO2zXpAtRBmCrsPPjdA3KeBl4tqsEpcYd09cpjm9MZCBIklZBjIQBKGIJgFwm8IE17G5pipsfRBRBEHMWxvJsL7iHLUouiprxKRQfAagw8BEEDucceqxTiDhVW2IZAQNNbf0d1JhcapAGntx5S1Csm4j0GgZB3DuUfI2HJ9aViTtdfH2vjBy0wtpXm2iamevohGfoF4NgyRHusDLjqy91uYMkfrkc", f"{GL} cmd/generate/config/rules/facebook.go@d88bc094", "facebook-page-access-token tp"),
    ("meta", True, '- name: FACEBOOK_TOKEN\n\tvalue: "EAACEdEose0cBA1bad3afsf286JZCOV1XmV4NobAXqUXZA7U9F1UaaOdQZABvz73030MJoC3gGoQrE8IEoMl4gFA6MmQadlJQBqtRsgIcIhtelIJOJaew"', f"{GL} cmd/generate/config/rules/facebook.go@d88bc094", "facebook-page-access-token tp"),
    ("meta", False, "eaaaC0b75a9329fded2ffa9a02b47e0117831b82", f"{GL} cmd/generate/config/rules/facebook.go@d88bc094", "fp"),
    ("meta", False, '"strict-uri-encode@npm:^2.0.0":\n  version: 2.0.0\n  resolution: "strict-uri-encode@npm:2.0.0"\n  checksum: eaac4cf978b6fbd480f1092cab8b233c9b949bcabfc9b598dd79a758f7243c28765ef7639c876fa72940dac687181b35486ea01ff7df3e65ce3848c64822c581\n  languageName: node\n  linkType: hard', f"{GL} cmd/generate/config/rules/facebook.go@d88bc094", "fp"),
    # --- Slack ---
    ("slack", True, '"bot_token1": "xoxb-781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-bot-token tp"),
    ("slack", True, '"bot_token2": "xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1MBS"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-bot-token tp"),
    ("slack", True, '"bot_token3": "xoxb-4614724432022-5152386766518-O5WzjWGLG0wcCm2WPrjEmnys"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-bot-token tp"),
    ("slack", True, '"user_token1": "xoxp-41684372915-1320496754-45609968301-e708ba56e1517a99f6b5fb07349476ef"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-user-token tp"),
    ("slack", True, '"user_token2": "xoxp-283316862324-298911817009-298923149681-44f585044dace54f5701618e97cd1c0b"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-user-token tp"),
    ("slack", True, '"user_token3": "xoxp-11873098179-111402824422-234336993777-b96c9fb3b69f82ebb79d12f280779de1"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-user-token tp"),
    ("slack", True, '"user_token4": "xoxp-254112160503-252950188691-252375361712-6cbf56aada30951a9d310a5f23d032a0"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-user-token tp"),
    ("slack", True, '"user_token5": "xoxp-4614724432022-4621207627011-5182682871568-1ddad9823e8528ad0f4944dfa3c6fc6c"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-user-token tp"),
    ("slack", True, '"url_private": "https:\\/\\/files.slack.com\\/files-pri\\/T04MCQMEXQ9-F04MAA1PKE3\\/image.png?t=xoxe-4726837507825-4848681849303-4856614048758-e0b1f3d4cb371f92260edb0d9444d206"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-user-token tp (xoxe-)"),
    ("slack", True, '"token1": "xapp-1-A052FGTS2DL-5171572773297-610b6a11f4b7eb819e87b767d80e6575a3634791acb9a9ead051da879eb5b55e"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-app-token tp"),
    ("slack", True, '"token2": "xapp-1-IEMF8IMY1OQ-4037076220459-85c370b433e366de369c4ef5abdf41253519266982439a75af74a3d68d543fb6"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-app-token tp"),
    ("slack", True, '"token3": "xapp-1-BM3V7LC51DA-1441525068281-86641a2582cd0903402ab523e5bcc53b8253098c31591e529b55b41974d2e82f"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-app-token tp"),
    ("slack", True, '"access_token2": "xoxe.xoxp-1-Mi0yLTMxNzcwMjQ0MTcxMy0zNjU5NDY0Njg4MTctNTE1ODE1MjY5MTcxNC01MTU4MDI0MTgyOTc5LWRmY2YwY2U4ODhhNzY5ZGU5MTAyNDU4MDJjMGQ0ZDliMTZhMjNkMmEyYzliNjkzMDRlN2VjZTI4MWNiMzRkNGQ"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-config-access-token tp"),
    ("slack", True, '"access_token4": "xoxe.xoxb-1-Mi0yLTMxNzcwMjQ0MTcxMy0zNjU5NDY0Njg4MTctNTE1ODE1MjY5MTcxNC01MTU4MDI0MTgyOTc5LWRmY2YwY2U4ODhhNzY5ZGU5MTAyNDU4MDJjMGQ0ZDliMTZhMjNkMmEyYzliNjkzMDRlN2VjZTI4MWNiMzRkNGQ"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-config-access-token tp"),
    ("slack", True, '"refresh_token2": "xoxe-1-My0xLTM0MTQwNDE0MDE3Ni01MTgyMDc1NDk2MDgwLTU0MjQ1NjIwNzgxODEtNGJkYTZhYTUxY2M1ODk3ZTNkN2YzMTgxMDI1ZDQzNzgwNWY4NWQ0ODdhZGIzM2ViOGI0MTM0MjdlNGVmYzQ4Ng"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-config-refresh-token tp"),
    ("slack", True, '"bot_token2": "xoxb-282029623751-BVtmnS3BQitmjZvjpQL7PSGP"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-bot-token tp"),
    ("slack", True, '"bot_token3": "xoxb-47834520726-N3otsrwj8Cf99cs8GhiRZsX1"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-bot-token tp"),
    ("slack", True, '"bot_token4": "xoxb-123456789012-Xw937qtWSXJss1lFaKe"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-bot-token tp"),
    ("slack", True, '"bot_token5": "xoxb-312554961652-uSmliU84rFhnUSBq9YdKh6lS"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-bot-token tp"),
    ("slack", True, '"bot_token6": "xoxb-51351043345-Lzwmto5IMVb8UK36MghZYMEi"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-bot-token tp"),
    ("slack", True, '"bot_token7": "xoxb-130154379991-ogFL0OFP3w6AwdJuK7wLojpK"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-bot-token tp"),
    ("slack", True, '"bot_token8": "xoxb-159279836768-FOst5DLfEzmQgkz7cte5qiI"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-bot-token tp"),
    ("slack", True, '"bot_token9": "xoxb-50014434-slacktokenx29U9X1bQ"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-bot-token tp"),
    ("slack", True, '"access_token": "xoxa-2-511111111-31111111111-3111111111111-e039d02840a0b9379c"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-workspace-token tp"),
    ("slack", True, '"access_token1": "xoxs-3206092076-3204538285-3743137121-836b042620"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-token tp"),
    ("slack", True, '"access_token3": "xoxs-420083410720-421837374423-440811613314-977844f625b707d5b0b268206dbc92cbc85feef3e71b08e44815a8e6e7657190"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-token tp"),
    ("slack", True, '"access_token4": "xoxs-4829527689-4829527691-4814341714-d0346ec616"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-token tp"),
    ("slack", True, '"access_token5": "xoxs-155191149137-155868813314-338998331396-9f6d235915"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-token tp"),
    ("slack", True, '"access_token7": "xoxo-523423-234243-234233-e039d02840a0b9379c"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-legacy-token tp"),
    ("slack", True, "http://hooks.slack.com/services/T024TTTTT/BBB72BBL/AZAAA9u0pA4ad666eMgbi555", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-webhook-url tp"),
    ("slack", True, "https://hooks.slack.com/services/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", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-webhook-url tp"),
    ("slack", True, "https://hooks.slack.com/workflows/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", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-webhook-url tp"),
    ("slack", True, "http://hooks.slack.com/workflows/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", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "slack-webhook-url tp"),
    ("slack", False, "xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp: placeholder"),
    ("slack", False, "xoxb-xxx", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp"),
    ("slack", False, "xoxb-xoxb-my-bot-token", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp"),
    ("slack", False, "https://docs.google.com/document/d/1W7KCxOxP-1Fy5EyF2lbJGE2WuKmu5v0suYqoHas1jRM", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp"),
    ("slack", False, '"token1": "xoxp-1234567890"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp"),
    ("slack", False, '"token2": "xoxp-XXXXXXXXXX-XXXXXXXXXX-XXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp: placeholder"),
    ("slack", False, '"token3": "xoxp-1234-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp"),
    ("slack", False, '"token4": "xoxp-572370529330-573807301142-572331691188-####################"', f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp: masked"),
    ("slack", False, "xoxe.xoxp-1-SlackAppConfigurationAccessTokenHere", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp: placeholder"),
    ("slack", False, "xoxe.xoxp-1-RANDOMSTRINGHERE", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp: placeholder"),
    ("slack", False, "xoxe.xoxp-1-initial", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp"),
    ("slack", False, "xoxe-1-xxx", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp"),
    ("slack", False, "XOxE-RROAmw, Home and Garden, 5:24, 20120323", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp"),
    ("slack", False, "xoxb-xxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp: placeholder"),
    ("slack", False, "xoxb-Slack_BOT_TOKEN", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp: placeholder"),
    ("slack", False, "xoxb-abcdef-abcdef", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp"),
    ("slack", False, "https://github.com/xoxa-nyc/xoxa-nyc.github.io/blob/master/README.md", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp: a name in a URL"),
    ("slack", False, "https://indieweb.org/images/3/35/2018-250-xoxo-indieweb-1.jpg", f"{GL} cmd/generate/config/rules/slack.go@02788fb5", "fp: a word in a URL"),
    # --- Google ---
    ("google", True, "AIzaSyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-", f"{GL} cmd/generate/config/rules/gcp.go@0073de5a", "gcp-api-key tp: non-word character at end"),
    ("google", False, "GWw4hjABFzZCGiRpmlDyDdo87Jn9BN9THUA47muVRNunLxsa82tMAdvmrhOqNkRKiYMEAFbTJAIzaTesb6Tscfcni8vIpWZqNCXFDFslJtVSvFDq", f"{GL} cmd/generate/config/rules/gcp.go@0073de5a", "fp: text boundary start"),
    ("google", False, "AIzaTesb6Tscfcni8vIpWZqNCXFDFslJtVSvFDqabcd123", f"{GL} cmd/generate/config/rules/gcp.go@0073de5a", "fp: text boundary end"),
    ("google", False, 'apiKey: "AIzaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"', f"{GL} cmd/generate/config/rules/gcp.go@0073de5a", "fp: not enough entropy"),
    ("google", False, "AIZASYCO2CXRMC9ELSKLHLHRMBSWDEVEDZTLO2O", f"{GL} cmd/generate/config/rules/gcp.go@0073de5a", "fp: incorrect case"),
    ("google", False, "AIzaSyabcdefghijklmnopqrstuvwxyz1234567", f"{GL} cmd/generate/config/rules/gcp.go@0073de5a", "fp: example key of firebase-android-sdk"),
    # --- GitHub ---
    ("github", True, "github-key 2764d47e6bf540911b7da8fe55caa9451e783549", f"{DS} tests/plugins/gh_v2_test.py@8ee25283", ""),
    ("github", True, "github_pwd :53d49d5081266d939bac57a3d86c517ded974b19", f"{DS} tests/plugins/gh_v2_test.py@8ee25283", ""),
    ("github", True, "gh-api-key=2764d47e6bf540911b7da8fe55caa9451e783549 ", f"{DS} tests/plugins/gh_v2_test.py@8ee25283", ""),
    ("github", True, 'git-token => "abcdef0123456789abcdef0123456789abcdef01"', f"{DS} tests/plugins/gh_v2_test.py@8ee25283", ""),
    ("github", True, '"GHE_API_KEY": "abcdef0123456789abcdef0123456789abcdef01"', f"{DS} tests/plugins/gh_v2_test.py@8ee25283", ""),
    ("github", True, 'GITHUB_API_TOKEN := "abcdef0123456789abcdef0123456789abcdef01"', f"{DS} tests/plugins/gh_v2_test.py@8ee25283", ""),
    ("github", True, "https://username:abcdef0123456789abcdef0123456789abcdef01@github.ibm.com", f"{DS} tests/plugins/gh_v2_test.py@8ee25283", ""),
    ("github", True, "Authorization: token abcdef0123456789abcdef0123456789abcdef01", f"{DS} tests/plugins/gh_v2_test.py@8ee25283", ""),
    ("github", True, "password abcdef0123456789abcdef0123456789abcdef01", f"{DS} tests/plugins/gh_v2_test.py@8ee25283", ""),
    ("github", False, "abcdef0123456789abcdef0123456789abcdef01", f"{DS} tests/plugins/gh_v2_test.py@8ee25283", "no keyword prefix"),
    ("github", False, "https://<fake-username>:<fake-pass>@github.ibm.com", f"{DS} tests/plugins/gh_v2_test.py@8ee25283", ""),
    ("github", False, "Authorization: token %s", f"{DS} tests/plugins/gh_v2_test.py@8ee25283", ""),
    ("github", False, "https://raw.github.com/k/d890e8640f20fba3215ba7be8e0ff145aeb8c17c/include/base64.js", f"{TH} pkg/detectors/github/v2/github_test.go@0a38da06", "not found"),
    # --- Stripe ---
    ("stripe", True, "sk_live_ReTllpYQYfIZu2Jnf2lAPFjD", f"{DS} tests/plugins/stripe_key_test.py@30ecb2da", ""),
    ("stripe", True, "rk_live_5TcWfjKmJgpql9hjpRnwRXbT", f"{DS} tests/plugins/stripe_key_test.py@30ecb2da", ""),
    ("stripe", False, "pk_live_j5krY8XTgIcDaHDb3YrsAfCl", f"{DS} tests/plugins/stripe_key_test.py@30ecb2da", "a publishable key"),
    ("stripe", False, "sk_live_", f"{DS} tests/plugins/stripe_key_test.py@30ecb2da", ""),
    # --- JWT (label: a JWT in a knowledge base is a bearer credential, whatever a scanner's verifier says) ---
    ("jwt", True, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + HS256_CLAIMS + ".KMUFsIDTnFmyG3nMiGM6H9FNFUROf3wh7SmqJp-QV30", f"{TH} pkg/detectors/jwt/jwt_test.go@4a498e84", "HS256/valid"),
    ("jwt", True, "eyJhbGciOiJIUzM4NCJ9.eyJtc2ciOiJoZWxsbyBoYWNrZXIsIHRoZXJlJ3Mgbm90aGluZyBmb3IgeW91IGhlcmUg8J-YhiJ9.NArdGjJ9DjXwGCLdNXDVjlwlvI_tUa2B3H44dvrZfKliBNTUL0YyKi8q4Al0Wl8u", f"{TH} pkg/detectors/jwt/jwt_test.go@4a498e84", "HS384/valid"),
    ("jwt", True, "eyJhbGciOiJIUzUxMiJ9.eyJtc2ciOiJoZWxsbyBoYWNrZXIsIHRoZXJlJ3Mgbm90aGluZyBmb3IgeW91IGhlcmUg8J-YhiJ9.SiKgg2-kq7kVXhe5uLMakzlygHsJ70aTyXGhdbqG2SfkUC_fwk8MZ3JAWXrCIEJAUi_QMmQm-7qMU0SCMFRQug", f"{TH} pkg/detectors/jwt/jwt_test.go@4a498e84", "HS512/valid"),
    ("jwt", True, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdCI6MTQxNjIzOTAyMiwiZXhwIjoxNDE2MjM5MTIyfQ.EwRkAg9uOr6kVajMdMvB6KWGvIdDlGNRAH3lsZ2qQHI", f"{TH} pkg/detectors/jwt/jwt_test.go@4a498e84", "HS256/expired"),
    ("jwt", True, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdCI6MjQxNjIzOTAyMiwibmJmIjozNDE2MjM5MDIyLCJleHAiOjQ0MTYyMzkwMjJ9.rVQaCey3ETfhn8AeiC_EmFjp6_X2Dq8QY_AzBAF2ZzQ", f"{TH} pkg/detectors/jwt/jwt_test.go@4a498e84", "HS256/not-yet-valid"),
    ("jwt", True, "ewogICJhbGciOiJIUzI1NiIsCiIgIHR5cCI6IkpXVCIKfQo." + HS256_CLAIMS + ".KMUFsIDTnFmyG3nMiGM6H9FNFUROf3wh7SmqJp-QV30", f"{TH} pkg/detectors/jwt/jwt_test.go@4a498e84", "HS256/valid-verbose-header"),
    ("jwt", True, JWT_PS384, f"{TH} pkg/detectors/jwt/jwt_test.go@4a498e84", "PS384/expired/invalid-issuer"),
    ("jwt", True, "eyJhbGciOieeeiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwic3ViZSI6IjEyMzQ1Njc4OTAiLCJuYW1lZWEiOiJKb2huIERvZSIsInN1ZmV3YWZiIjoiMTIzNDU2Nzg5MCIsIm5hbWVmZWF3ZnciOiJKb2huIERvZSIsIm5hbWVhZmV3ZmEiOiJKb2huIERvZSIsInN1ZndhZndlYWIiOiIxMjM0NTY3ODkwIiwibmFtZWZ3YWYiOiJKb2huIERvZSIsInN1YmZ3YWYiOiIxMjM0NTY3ODkwIiwibmFtZndhZSI6IkpvaG4gRG9lIiwiaWZ3YWZhYXQiOjE1MTYyMzkwMjJ9.a_5icKBDo-8EjUlrfvz2k2k-FYaindQ0DEYNrlsnRG0==", f"{GL} cmd/generate/config/rules/jwt.go@08c6d3cf", "tp"),
    # --- private keys ---
    ("private-key", True, "privatekey token = '" + RSA + "\n'", f"{TH} pkg/detectors/privatekey/privatekey_test.go@0f391bed", "valid pattern - with keyword privatekey"),
    ("private-key", True, "var private_key = " + RSA.replace("\n", "\\n"), f"{TH} pkg/detectors/privatekey/privatekey_test.go@0f391bed", "valid pattern - one line"),
    ("private-key", True, "var private_key = (`" + RSA + "`)", f"{TH} pkg/detectors/privatekey/privatekey_test.go@0f391bed", "valid pattern - no new line at end"),
    ("private-key", False, "privatekey = '" + RSA.replace("-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN?RSA?PRIVATE?KEY-----").replace("-----END RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----") + "'", f"{TH} pkg/detectors/privatekey/privatekey_test.go@0f391bed", "invalid pattern (its label kept, though the END line is there)"),
    ("private-key", True, "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEmo3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88vQENZiRm0GRq6a+HPGQMd2kTQIhAKMSvzIBnni7ot/OSie2TmJLY4SwTQAevXysE2RbFDYdAiEBCUEaRQnMnbp79mxDXDf6AU0cN/RPBjb9qSHDcWZHGzUCIG2Es59z8ugGrDY+pxLQnwfotadxd+Uyv/Ow5T0q5gIJAiEAyS4RaI9YG8EWx/2w0T67ZUVAw8eOMB6BIUg0Xcu+3okCIBOs/5OiPgoTdSy7bcF9IGpSE8ZgGKzgYQVZeN97Y==", f"{GL} cmd/generate/config/rules/privatekey.go@00639b2a", "private-key-non-pem-format tp"),
    # --- generic assignments: detect-secrets' keyword plugin, its language-independent cases ---
    *[("generic", True, t, DSK, "STANDARD_POSITIVES and the := / objective-C positives") for t in [
        f"'theapikey': '{M}'", f'"theapikey": "{M}"', f'apikey: "{M}"', f"apikey:  '{M}'",
        f"apikey: {M}", f"apikey:{M}", f"theapikey:{M}",
        f'some_dict["secret"] = "{M}"', f'the_password= "{M}"\n', f"the_password='{M}'\n",
        f"some_dict['secret'] = {M}", f"my_password={M}", f"my_password= {M}", f"my_password ={M}",
        f"my_password = {M}", f"the_password={M}\n",
        f'apikey "{M}";', f'fooapikeyfoo "{M}";', f'fooapikeyfoo"{M}";', f"private_key '{M}';",
        f"fooprivate_keyfoo'{M}';", f"fooprivate_key'{M}';",
        f'apikey := "{M}"', f'apikey :="{M}"', f'apikey  :=   "{M}"', f"apikey := '{M}'", f"apikey:='{M}'",
        f"apikey := {M}", f"apikey :={M}", f"apikey:= {M}", f"apikey:={M}",
        f'apikey = "{M}"', f'apikey =@"{M}"', f'apikey  =   @"{M}"', f'apikey[]= "{M}"', f'apikey[]="{M}"',
    ]],
    *[("generic", False, t, DSK, "STANDARD_NEGATIVES, javascript and php negatives") for t in [
        'theapikey := ""', 'theapikey := "somefakekey"', "theapikeyforfoo := hopenobodyfindsthisone",
        'theapikey: ""', 'theapikey: "somefakekey"', "theapikeyforfoo:hopenobodyfindsthisone", "password: ${link}",
        'some_key = "real_secret"', 'my_password = ""', "my_password = ''", 'my_password = "fakesecret"',
        'open(self, password = ""):', "my_password = foo(hey)you", "my_password = request.json_body['hey']",
        "my_password = True", "login(username=username, password=password)",
        'private_key "";', "private_key '\"no spaces';", 'private_key "fake";', 'private_key "some/dir/aint/a/secret";',
        'private_key "${FOO}";', 'theapikey[] = ""', 'theapikey = @"somefakekey"',
        "apiKey: this.apiKey,", "apiKey: fs.readFileSync('foo',", "$password = $input;",
    ]],
    # The same positives with the value made a {{template}} (its YAML negatives) or an <example> (its .example negatives).
    *[("generic", False, t.replace("m{", "{"), DSK, "test_analyze_yaml_negatives: a {{…}} template value") for t in [
        f"'theapikey': '{M}'", f'apikey: "{M}"', f"apikey: {M}", f"apikey:{M}", f'some_dict["secret"] = "{M}"',
        f"my_password = {M}", f"the_password={M}", f'apikey "{M}";', f"private_key '{M}';",
    ]],
    *[("generic", False, t.replace("m{", "<").replace("}", ">"), DSK, "test_analyze_example_negatives: an <example> value") for t in [
        f"'theapikey': '{M}'", f'apikey: "{M}"', f"apikey: {M}", f"apikey:{M}", f'some_dict["secret"] = "{M}"',
        f"my_password = {M}", f"the_password={M}", f'apikey "{M}";', f"private_key '{M}';",
    ]],
    *[("generic", expect, t, f"{DS} tests/filters/heuristic_filter_test.py@105f4f19", note) for t, expect, note in [
        ("secret = {hunter2}", False, "is_templated_secret"), ("secret = <hunter2>", False, "is_templated_secret"),
        ("secret = hunter2", True, "is_templated_secret / is_indirect_reference"), ("secret= ${hunter2}", False, "is_templated_secret"),
        ("secret = get_secret_key()", False, "is_indirect_reference"), ('secret = request.headers["apikey"]', False, "is_indirect_reference"),
    ]],
    # --- vendors' documentation: placeholders shown in guides, and webhook URLs pasted in public pages ---
    ("github", False, 'createTokenAuth("ghp_PersonalAccessToken01245678900000000");', "octokit/auth-token.js README (npm @octokit/auth-token)", "a documentation placeholder"),
    ("github", False, 'curl -H "Authorization: Bearer <YOUR-TOKEN>" https://api.github.com/repos/OWNER/REPO/pulls', "docs.github.com REST examples, quoted in AnswerDotAI/ghapi#147", "a documentation placeholder"),
    ("github", False, "api = GhApi(owner='owner', repo='repo', token='<YOUR-TOKEN>')", "AnswerDotAI/ghapi#147 (README example)", "a documentation placeholder"),
    ("github", False, 'set_gh_token(token = "XXXXXXXXXXXXXXXX")', "como-ph/covidphinfodemic documentation (rdrr.io set_gh_token)", "a documentation placeholder"),
    ("slack", False, "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "containrrr.dev shoutrrr docs, services/slack", "a documentation placeholder"),
    ("slack", False, "https://hooks.slack.com/services/T1234567/AAAAAAAA/ZZZZZZ", "docs.slack.dev java-slack-sdk guides/incoming-webhooks", "a documentation placeholder"),
    ("slack", False, "slack://xoxb-1234567890-abcdefghijklmnopqrst/notifications", "caronc/apprise wiki Notify_slack (mirror sinspired/apprise_vercel)", "a documentation placeholder"),
    ("slack", True, "slack_hook_url: 'https://hooks.slack.com/services/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',", "gist jumpingdeeps/a4cd639ea8453b09d422", "a webhook URL pasted in a public page"),
    ("slack", True, "- https://hooks.slack.com/services/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", "pastebin.com/index/XcZ8Q1gw", "a webhook URL pasted in a public page"),
    ("generic", False, "account_token: 'NPS-xxxxxxx',", "gist jumpingdeeps/a4cd639ea8453b09d422", "a documentation placeholder"),
    # --- generic: gitleaks generic-api-key (literal tps and fps) ---
    *[("generic", True, t, f"{GL} cmd/generate/config/rules/generic.go@81fc668f", "tp") for t in [
        "'access_token': 'eyJ0eXAioiJKV1slS3oASx=='",
        '"user_auth": "am9obmRvZTpkMDY5NGIxYi1jMTcxLTQ4ODYt+TMyYS0wMmUwOWQ1/mIwNjc="',
        '"credentials" : "0afae57f3ccfd9d7f5767067bc48b30f719e271ba470488056e37ab35d4b6506"',
        '"client_secret" : "6da89121079f83b2eb6acccf8219ea982c3d79bccc3e9c6a85856480661f8fde",',
        ' utils.GetEnvOrDefault("api_token", "dafa7817-e246-48f3-91a7-e87653d587b8")',
    ]],
    *[("generic", False, t, f"{GL} cmd/generate/config/rules/generic.go@81fc668f", "fp") for t in [
        '"accessor":"rA1wk0Y45YCufyfq",', "report_access_id: e8e4df51-2054-49b0-ab1c-516ac95c691d",
        'accessibilityYesOptionId = "0736f5ef-7e88-499a-80cc-90c85d2a5180"', "_RandomAccessIterator>\n_LIBCPP_CONSTEXPR_AFTER_CXX11 ",
        'this.ultraPictureBox1.Name = "ultraPictureBox1";', "rapidstring:marm64-uwp=fail",
        "event-bus-message-api:rc0.15.0_20231217_1420-SNAPSHOT'", "COMMUNICATION_API_VERSION=rc0.13.0_20230412_0712-SNAPSHOT",
        "MantleAPI_version=9a038989604e8da62ecddbe2094b16ce1b778be1", "[DEBUG]\t\torg.slf4j.slf4j-api:jar:1.7.8.:compile (version managed from default)",
        "[DEBUG]\t\torg.neo4j.neo4j-graphdb-api:jar:3.5.12:test", "apiUrl=apigee.corpint.com", 'X-API-Name": "NRG0-Hermes-INTERNAL-API",',
        'author = "james.fake@ymail.com",', "X-MS-Exchange-Organization-AuthSource: sm02915.int.contoso.com",
        "Authentication-Results: 5h.ca.iphmx.com",
        "withCredentials([usernamePassword(credentialsId: '29f63271-dc2f-4734-8221-5b31b5169bac', usernameVariable: 'USERNAME', passwordVariable: 'PASSWORD')]) {",
        "credentialsId: 'ff083f76-7804-4ef1-80e4-fe975bb9141b'", "jobCredentialsId: 'f4aeb6bc-2a25-458a-8111-9be9e502c0e7'",
        '  "credentialId": "B9mTcFSck2LzJO2S3ols63",', 'environment {\n\tCREDENTIALS_ID = "K8S_CRED"\n}',
        "dev.credentials.url=dev-lb1.api.f4ke.com:5215", 'keyword: "Befaehigung_P2"',
        'public_key = "9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit"', "pub const X509_pubkey_st = struct_X509_pubkey_st;",
        "|| pIdxKey->default_rc==0", "monkeys-audio:mx64-uwp=fail", '<entry key="jetbrains.mps.v8_elimination" value="executed" />',
        "minisat-master-keying:x64-uwp=fail", "IceSSL.KeyFile=s_rsa1024_priv.pem", '"bucket_key": "SalesResults-1.2"',
        '<key tag="SecurityIdentifier" name="SecurityIdentifier" type="STRING" />', "schemaKey = 'DOC_Vector_5_32'",
        'sequenceKey = "18"', "app.keystore.file=env/cert.p12", "-DKEYTAB_FILE=/tmp/app.keytab",
        "\tdoc.Security.KeySize = PdfEncryptionKeySize.Key128Bit;", "o.keySelector=n,o.haKey=!1,",
        '                                "key_name": "prod5zyxlmy-cmk",', '                                "kms_key_id": "555ea4a3-d53a-4412-9c66-3a7cb667b0d6",',
        '\t"key_vault_name": "web21prqodx24021",', "  keyVaultToStoreSecrets: cmp2-qat-1208358310",
        ',apiKey:"6fe4476ee5a1832882e326b506d14126",', 'const validKeyChars = "0123456789abcdefghijklmnopqrstuvwxyz_-."',
        'const keyStr = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"', "key_length = XSalsa20.key_length",
        'pub const SN_id_Gost28147_89_None_KeyMeshing = "id-Gost28147-89-None-KeyMeshing"', "KeyPair = X25519.KeyPair",
        "BlindKeySignatures = Ed25519.BlindKeySignatures", 'AVEncVideoMaxKeyframeDistance, "2987123a-ba93-4704-b489-ec1e5f25292c"',
        "            keyPressed = kVK_Return.u16", 'timezone_mapping = {\n    "Turkey Standard Time": "Europe/Istanbul",\n}',
        "password combination.\n\nR5: Regulatory--21", "PuttyPassword=0", 'LLM_SECRET_NAME = "NEXUS-GPT4-API-KEY"',
        "  <UserSecretsId>79a3edd0-2092-40a2-a04d-dcb46d5ca9ed</UserSecretsId>", "secret_length = X25519.secret_length",
        "secretSize must be >= XXH3_SECRET_SIZE_MIN",
        "# get build time secret for authentication\n#RUN --mount=type=secret,id=jfrog_secret \\\n#    JFROG_SECRET = $(cat /run/secrets/jfrog_secret) && \\",
        "    access_token_url='https://github.com/login/oauth/access_token',", 'publicToken = "9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit"',
        '<SourceFile SourceLocation="F:\\Extracts\\" TokenFile="RTL_INST_CODE.cer">', 'notes            = "Maven - io.jsonwebtoken:jjwt-jackson-0.11.2"',
        "csrf-token=Mj2qykJO5rELyHgezQ69nzUX0i3OH67V7+V4eUrLfpuyOuxmiW9rhROG/Whikle15syazJOkrjJa3U2AbhIvUw==",
        'clientId = "73082700-1f09-405b-80d0-3131bfd6272d"', "GITHUB_API_KEY=\nDYNATRACE_API_KEY=", "snowflake.password=\njdbc.snowflake.url=",
        "import { chain_Anvil1_Key, chain_Anvil2_Key } from '../blockchain-tests/pallets/supported-chains/consts';",
        'SRCREV_moby = "43fc912ef59a83054ea7f6706df4d53a7dea4d80"',
        'LIC_FILES_CHKSUM = "file://${WORKDIR}/license.html;md5=5c94767cedb5d6987c902ac850ded2c6"',
    ]],
]


def split_of(text: str) -> str:
    return "held-out" if int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "tuning"


def build() -> list[dict[str, object]]:
    shared = {case["text"] for case in json.loads(SHARED.read_text(encoding="utf-8"))["cases"]}
    out: list[dict[str, object]] = []
    seen: set[str] = set()

    def add(family: str, expect: bool, text: str, source: str, note: str) -> None:
        if text in shared or text in seen:
            return
        seen.add(text)
        out.append({"family": family, "expect": expect, "split": split_of(text), "source": source, "note": note, "text": text})

    for family, expect, text, source, note in LITERAL:
        add(family, expect, text, source, note)
    for family, ident, secret, source in EXPANDED:
        for name, template in TEMPLATES.items():
            text = template.replace("{i}", ident).replace("{I}", ident.upper()).replace("{s}", secret).replace("{{", "{").replace("}}", "}")
            add(family, True, text, f"{source}; set in gitleaks' template \"{name}\" ({GL} cmd/generate/config/utils/generate.go)", "template")
    return out


if __name__ == "__main__":
    cases = build()
    print("# Labelled strings from public secret scanners' rule tests: see SOURCES.md beside this file.")
    print("# Built by build_secrets_cases.py; `split` was fixed (a hash of the text) before any tuning.")
    print(yaml.safe_dump({"cases": cases}, allow_unicode=True, sort_keys=False, width=1000), end="")
