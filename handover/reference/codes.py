"""Every problem code, what it means and how to fix it.

Codes are stable: tools and CI scripts may match on them. E = error (validate exits
1), W = warning (exit 0 unless --strict). The hundreds group them by family. A test
checks that every code used in the source is listed here, and the reference page
kb/guide/problems.md is generated from this table.
"""

from __future__ import annotations

FAMILIES = {
    "0": "Settings (handover.yml)",
    "1": "Files and YAML syntax",
    "2": "Values and fields",
    "3": "References, uniqueness and continuity",
    "4": "Freshness and personal data",
    "5": "Charter and canned responses",
    "6": "Secrets",
    "7": "Activity (pulse)",
}

CODES: dict[str, tuple[str, str]] = {
    "W001": ("No handover.yml", "The folder has no handover.yml; defaults are used. Create one (see the format guide) to name the community, its platforms and limits."),
    "E010": ("Bad setting", "A setting of handover.yml has the wrong shape (a limit that is not a positive number, a duration that is not like 90d). The default is used until it is fixed."),
    "E100": ("Unreadable file", "The file cannot be read (permissions, a broken link). Fix access to it."),
    "E101": ("YAML syntax error", "The YAML cannot be parsed. The message says what the parser expected; a value containing ': ' or starting with @ must be quoted."),
    "E102": ("Not UTF-8", "The file has a byte that is not UTF-8 (often a Latin-1 or Windows-1252 accent). Save it as UTF-8."),
    "E103": ("Tab indentation", "YAML forbids tabs for indentation. Replace them with spaces."),
    "E104": ("Duplicate key", "The same field appears twice in one mapping; YAML keeps the last silently. Keep one."),
    "E105": ("Anchor, alias or merge key", "&anchors, *aliases and << merge keys hide repetition from reviewers and open the door to alias bombs. Write values out in full."),
    "E106": ("Several documents", "A second '---' document starts inside a YAML record. One file holds one record."),
    "E107": ("Top level not a mapping", "A record is a mapping of 'field: value' lines, not a list or a single value."),
    "E108": ("Front matter missing or unclosed", "A Markdown record starts with a '---' line, its YAML fields, and a closing '---' line."),
    "E109": ("Nesting too deep", "More than 32 levels of nesting: no record needs that. Flatten it."),
    "E110": ("File too large", "Records are limited to 1,000,000 bytes. Split the file or move attachments out."),
    "E111": ("Bad file name or link", "The file name is the record's id and must be a lowercase slug (a-z, 0-9, hyphens); links to outside the knowledge base are refused."),
    "E112": ("Empty file", "The file has no fields. Fill it in or delete it."),
    "E114": ("YAML tag", "A !tag (!!python/object/apply:…, !!str, !custom, a lone !) asks a YAML loader to build or run something other than text, numbers, lists and mappings. handover builds nothing from it, other tools might: remove the tag, and quote the value if it is text."),
    "W113": ("File not read", "A file in a record folder does not have that kind's extension (.yml or .md). Rename or move it."),
    "E201": ("Read as a number", "YAML 1.1 reads 0612345670 as an octal number and +33612345678 as an integer, dropping zeros and signs. Quote the value."),
    "E202": ("Read as a boolean", "YAML 1.1 reads yes, no, on, off as true or false. Quote the value if it is text, or write true/false."),
    "E203": ("Read as base 60", "YAML 1.1 reads 12:30 as the number 750. Quote times."),
    "E204": ("Impossible date", "The date does not exist (2026-02-30). Fix the day or month."),
    "E210": ("Required field missing", "The kind requires this field (see the format guide)."),
    "E211": ("Wrong type", "The value is not of the field's type (text where a list is expected, a number where text is expected…). The message shows the expected shape."),
    "E212": ("Not an allowed value", "The value is not one of the field's allowed values (statuses, platforms of handover.yml, escalation topics); a close match is suggested."),
    "E213": ("Bad email", "Not an email address."),
    "E214": ("Bad URL", "Not a web address; start it with https://."),
    "E215": ("Bad phone number", "Phones are written in international format, in quotes: \"+33 6 12 34 56 78\"."),
    "E216": ("Bad date", "Dates are written YYYY-MM-DD."),
    "E217": ("Bad duration or cadence", "Durations are a number and a unit (90d, 6w, 3m, 1y); cadences a count per period (3/week, 1/day)."),
    "E218": ("Bad handle", "Handles use letters, digits, _ . - and an optional leading @."),
    "E219": ("Bad id", "Ids (file names, references, rule ids, tags) are lowercase slugs: a-z, 0-9 and single hyphens."),
    "W220": ("Unknown field", "The field is not part of the kind's format: a typo (a close match is suggested) or a field to remove. Unknown fields are not shown on the site."),
    "E221": ("Out of range", "A number outside its range (severity is 1 to 4), or a text too long."),
    "E222": ("Dates out of order", "An end date before its start date."),
    "W230": ("Tier disagrees", "An influencer's written tier does not match the tier computed from its audience and handover.yml's thresholds. Remove tier: it is computed."),
    "E301": ("Unknown reference", "The id does not name an existing record of the expected kind; a close match is suggested."),
    "E302": ("Unknown charter rule", "A response (or handover.yml's `triage:` settings) cites a rule id that no charter heading `## Title {#id}` defines."),
    "E303": ("Duplicate", "The same id is used twice (records of one kind, rules across the charter), or a list names the same item twice."),
    "E304": ("Duplicate handle", "Two records of a kind claim the same handle on the same platform."),
    "E305": ("Active account without owner", "Every active account needs an owner on the team."),
    "E306": ("Active account without backup", "Every active account needs a backup who steps in when the owner is away."),
    "E307": ("Backup is the owner", "The backup must be a second person."),
    "E308": ("Bad successor", "A successor must be someone else who is staying."),
    "W308": ("No cadence", "An active account should say how often it must be fed (3/week)."),
    "E309": ("Held by someone who left", "The person named has left (status left, or end date passed): the item is orphaned. Transfer it: handover transfer OLD NEW."),
    "W310": ("Held by someone leaving", "The person named leaves within the leaving window. Name a successor and transfer before they go."),
    "W311": ("Leaving with items", "Shown on the leaving person's own record: everything they still hold, in one list."),
    "W312": ("Departure checklist open after the last day", "The person's last day is over and steps of their departure checklist (departures/PERSON.yml, derived from what they held) are still todo: a vault access not revoked, a second factor not moved, a password not changed. Do them and record it: handover checklist PERSON --done STEP --by ID, or --waive STEP --why TEXT --by ID. handover status exits 1 meanwhile."),
    "W401": ("Review overdue", "reviewed_on plus review_every is in the past: a person should confirm the record and update reviewed_on."),
    "W402": ("Audience figures old", "Audience figures are older than audience_max_age: update followers and as_of."),
    "W404": ("Relationship silent", "No contact for longer than last_contact_max_age."),
    "W408": ("Key relationship silent", "A relationship has had no interaction (interactions log, or last_contact) for longer than its stay-in-touch interval (handover.yml: stay_in_touch, per influencer tier and per contact department). The message names the owner, who should get in touch and log it."),
    "W405": ("Retention passed", "retain_until has passed: delete the personal data, or justify keeping it and extend the date."),
    "W406": ("Date in the future", "A review or contact date lies in the future."),
    "W407": ("Follow-up action overdue", "An incident's follow-up action is past its due date and not marked done: the lesson is not applied yet. Do it, give it a new due date, or mark it done: true."),
    "E501": ("Undeclared placeholder", "A {placeholder} in a response's text is not declared under variables."),
    "W502": ("Unused variable", "A declared variable is never used in the text."),
    "E503": ("Too long for a platform", "Rendered with its defaults, the text exceeds the character limit of a platform it lists."),
    "W504": ("Rule without id", "A `##` heading in a charter document has no {#id}: responses cannot cite it and links to it break when it is reworded."),
    "W505": ("Approved by nobody", "An approved response does not say who approved it."),
    "E506": ("Empty response", "A response has no text below its front matter."),
    "E601": ("Credential in a field", "A field named like a credential (password, passwd, pwd, mdp, mot_de_passe, token, secret, api_key, client_secret, private_key, passphrase…) holds a value. Accounts say where the login lives, never the login: credentials: {manager, entry}. Remove the value, keep the secret in the password manager, and change it, since git keeps what was committed."),
    "E602": ("Token in the text", "A known token shape (Meta EAA…, X bearer AAAA…, GitHub ghp_…, Slack xox?-, AWS AKIA…, Google AIza…, a JWT, a private-key block) appears in a field, a comment or a Markdown text. Remove it, revoke it at its provider, and keep the new one in the password manager."),
    "E603": ("Credential written after its word", "A value that looks like a password follows a credential word in text (mdp: followed by the password itself). Prose that says where a password lives (\"le mot de passe est dans Bitwarden\") is fine. Remove the value and change it."),
    "E604": ("Random-looking string near a credential word", "A long high-entropy string stands next to a credential word: probably a key or token. Remove it, or list it in secrets_allow with a reason if it is not one."),
    "E605": ("Incomplete allow-list entry", "A secrets_allow entry of handover.yml needs file, fingerprint (or match) and a reason; an incomplete entry allows nothing."),
    "W606": ("Unused allow-list entry", "A secrets_allow entry no longer matches any finding (the text was changed or removed): delete the entry so the list stays reviewed."),
    "W701": ("Account quiet", "An active account has published nothing for longer than its cadence allows (pulse.quiet_factor cadence intervals: at the default 2, a 5/week account after about 3 days, a 1/week one after 2 weeks). `handover status` exits 1 while it lasts. The owner (or the backup) posts, then the post is recorded: handover log ACCOUNT, an import, or handover pulse --fetch."),
    "W702": ("Below cadence", "Over the last 4 complete weeks the account published fewer posts a week than pulse.below_ratio times its cadence. Plan the missing posts, or agree a lower cadence with the lead and change cadence."),
    "W703": ("Feed failing", "The account's feed has failed for longer than pulse.failing_after (the message gives the error: HTTP status, not a feed, too large, too slow…). The counts already recorded are kept. Fix feed: or remove it and record posts another way."),
    "W704": ("Activity too old to tell", "The account's activity was last read longer ago than pulse.stale_after: whether it is fed cannot be told. Run handover pulse --fetch (the scheduled CI job does it daily), import an export, or handover log."),
    "W705": ("Activity of an unknown account", "A file under activity/ is named after no account (renamed or removed). Rename it after the account's id, or delete it."),
}


def family(code: str) -> str:
    return FAMILIES.get(code[1], "Other")
