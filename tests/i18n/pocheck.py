#!/usr/bin/env python3
"""pocheck: the checks po_terms.sh and po_widths.sh run on po/ja.po (no polib needed).

Usage: pocheck.py terms PO | widths PO
Prints one line per offender and exits 1 when there is any; 0 when clean.
"""
import re
import sys
import unicodedata


def unescape(s):
    table = {'n': '\n', 't': '\t', '"': '"', '\\': '\\', 'r': '\r', 'a': '\a'}
    return re.sub(r'\\(.)', lambda m: table.get(m.group(1), m.group(1)), s)


def parse(path):
    """Yield (msgid, msgid_plural, [msgstr...], flags) of live, non-header entries."""
    entries, cur, key, flags = [], None, None, ''

    def flush():
        if cur is not None and cur.get('msgid'):
            strs = [v for k, v in sorted(cur.items()) if k.startswith('msgstr')]
            entries.append((cur['msgid'], cur.get('msgid_plural', ''), strs, cur.get('#,', '')))

    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if line.startswith('#~') or not line.strip():
            continue
        if line.startswith('#,'):
            if cur is not None and 'msgstr' in ''.join(cur):
                flush()
                cur = None
            flags = line[2:]
            continue
        if line.startswith('#'):
            continue
        m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if m:
            key = m.group(1)
            if key in ('msgid', 'msgctxt') and cur is not None and any(k.startswith('msgstr') for k in cur):
                flush()
                cur = None
            if cur is None:
                cur = {'#,': flags}
                flags = ''
            cur[key] = unescape(m.group(2))
            continue
        m = re.match(r'^"(.*)"$', line)
        if m and cur is not None and key:
            cur[key] += unescape(m.group(1))
    flush()
    return entries


def cells(s):
    """Terminal cells: wide and fullwidth characters take two, combining marks none."""
    n = 0
    for c in s:
        if unicodedata.combining(c) or c in '\u200b\u200d':
            continue
        n += 2 if unicodedata.east_asian_width(c) in 'WF' else 1
    return n


# Glossary rules (po/GLOSSARY.ja.md): (English pattern on msgid, Japanese every msgstr must hold).
# Patterns skip option names, placeholders and identifiers (--region, <region>, REGION).
W = r'(?<![-<"\w])'
E = r'(?![->"\w])'
TERMS = [
    (W + r'allow lists?' + E, '許可リスト', re.I),
    (W + r'private endpoints?' + E, 'プライベートエンドポイント', re.I),
    (W + r'Pending' + E, '保留中', re.I),
    (W + r'Approved' + E, '承認済み', 0),
    (W + r'approved' + E, '承認', 0),
    (W + r'Rejected' + E, '拒否済み', 0),
    (W + r'rejected' + E, '拒否', 0),
    (W + r'Disconnected' + E, '切断済み', 0),
    (W + r'disconnected' + E, '切断', 0),
    (W + r'alias(es)?' + E, 'エイリアス', re.I),
    (W + r'organizations?' + E, '組織', re.I),
    (W + r'region' + E, 'リージョン', 0),
    (W + r'Region' + E, 'リージョン', 0),
    (W + r'resource groups?' + E, 'リソースグループ', re.I),
    (W + r'virtual network' + E, '仮想ネットワーク', re.I),
    (W + r'virtual network links?' + E, '仮想ネットワークリンク', re.I),
    (W + r'subnets?' + E, 'サブネット', re.I),
    (W + r'private DNS zones?' + E, 'プライベートDNSゾーン', re.I),
    (W + r'wildcard' + E, 'ワイルドカード', re.I),
    (W + r'wildcard A record' + E, 'ワイルドカードAレコード', re.I),
    (W + r'wildcard DNS record' + E, 'ワイルドカードDNSレコード', re.I),
    (W + r'API keys?' + E, 'APIキー', re.I),
    (W + r'key secret' + E, 'シークレット', re.I),
    (W + r'Admin' + E, 'Admin', 0),
    (W + r'service principal' + E, 'サービスプリンシパル', re.I),
    (W + r'subscription' + E, 'サブスクリプション', re.I),
    (W + r'passphrase' + E, 'パスフレーズ', re.I),
    (W + r'credentials' + E, '資格情報', re.I),
    (W + r'vault' + E, 'ボールト', re.I),
    (W + r'profiles?' + E, 'プロファイル', re.I),
    (W + r'troubleshoot(ing)?' + E, 'トラブルシューティング', re.I),
    (W + r'Private Link Center' + E, 'プライベートリンクセンター', 0),
    (W + r'JSON view' + E, 'JSONビュー', 0),
    (W + r'connection reset by peer' + E, 'ピアによる接続リセット', re.I),
    (W + r'reset by peer' + E, 'ピア', re.I),
    (W + r'Production' + E, 'Production', 0),
    (W + r'Development' + E, 'Development', 0),
    (W + r'Private Link(?! Center)' + E, 'Private Link', 0),
    (W + r'GUID' + E, 'GUID', 0),
    (W + r'VNet' + E, 'VNet', 0),
]

# Things that are never translated: options, commands, API fields, identifiers, URLs, methods.
INVARIANT = [
    r'(?<![\w-])--[a-z][a-z0-9-]*',            # options
    r'\bchlink (?:status|apply|doctor|teardown|export|creds)\b',  # commands
    r'`[^`]+`',                                   # code spans
    r'https?://[^\s),;]*[^\s),;.]',               # URLs
    r'\b[a-z]+(?:[A-Z][a-z0-9]+)+\b',             # camelCase API fields (resourceGuid, ...)
    r'\b[a-z][a-z0-9]*_[a-z0-9_]+\b',             # snake_case (azurerm_private_endpoint, ...)
    r'\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b',             # environment variables
    r'\b(?:GET|PUT|POST|PATCH|DELETE)\b',         # HTTP methods
    r'(?<![\w.])/[a-z_][\w./-]*',                 # paths (/ping, /dev/null, /_sim/faults)
    r'%[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXeEfgGcsp%]',  # directives (format order is msgfmt's job)
]


# Deliberate exceptions, each with its reason (see po/GLOSSARY.ja.md).
TERM_EXCEPTIONS = {
    # a 21-cell field label: ボールトのパスフレーズ would be 22 cells
    ('Vault passphrase', 'ボールト'),
}


def check_terms(path):
    bad = []
    for msgid, plural, strs, flags in parse(path):
        src = msgid + '\n' + plural
        for s in strs:
            for pat, ja, fl in TERMS:
                if (msgid, ja) in TERM_EXCEPTIONS:
                    continue
                if re.search(pat, src, fl) and ja not in s:
                    bad.append('term %r -> %s missing: %r => %r' % (pat.replace(W, '').replace(E, ''), ja, msgid[:70], s[:70]))
            for pat in INVARIANT:
                for tok in set(re.findall(pat, msgid)):
                    tok = tok if isinstance(tok, str) else tok[0]
                    if tok and tok not in s:
                        bad.append('untranslatable %r changed: %r => %r' % (tok, msgid[:70], s[:70]))
    return bad


# Labels drawn in a fixed column (ui/chrome.c: UI_LABEL_W = 22, so 21 cells of text).
UI_LABELS = [
    'ClickHouse key ID', 'ClickHouse key secret', 'Organization ID', 'Azure tenant ID',
    'Azure client ID', 'Azure client secret', 'Azure subscription', 'Vault passphrase',
    'Service region', 'Service name (alias)', 'Stage 1', 'Stage 2', 'Stage 3', 'Alias',
    'Private DNS hostname', 'Private hostname', 'resourceGuid', 'Private IP', 'Connection',
    'Endpoint ID', 'Region', 'Subscription', 'Resource group', 'Virtual network', 'Subnet',
    'Location', 'Endpoint name', 'DNS answer', 'TLS on 9440', 'HTTPS /ping 8443', 'Zone',
    'Wildcard record', 'VNet link',
    # the engine's step titles, drawn in the same column on the summary screen
    'Service alias', 'Private DNS zone', 'DNS zone link to the VNet', 'Organization registration',
    'Service allow list', 'Private access',
]
LABEL_CELLS = 21
# Step badges (ui/chrome.c ui_step_badge): glyph, space, word; the DNS screen's value starts
# 10 cells after the badge, so the word gets 8.
BADGES = ['unknown', 'to do', 'pending', 'done', 'failed']
BADGE_CELLS = 8
# Fixed-width columns elsewhere: the welcome table's stage column (ui/screen_welcome.c, 28).
COLUMNS = {
    '1 Alias of the service': 28, '2 Private endpoint': 28, '2b Private DNS': 28,
    '3 Organization': 28, '4 Allow list': 28, '5 Access': 28, 'Now': 14,
}


# Paragraphs the wizard clips to a number of rows at 80x24 (the content is 76 cells wide):
# msgid prefix -> (cells, rows). %s and %d are measured as a typical value.
PARAGRAPHS = {
    'A service is reachable over Private Link only when': (76, 2),
    'No Azure service listed for this region yet.': (76, 2),
    'Private Link works only for Production services; Development': (74, 2),
    'In the ClickHouse Cloud console open the service, then Settings': (76, 4),
    'The organization keeps a list of private endpoints.': (76, 3),
    'In the console this happens by itself': (76, 3),
    'No vault yet. Enter the keys': (76, 3),
    'Enter the passphrase of the credentials vault.': (76, 3),
    'The vault is open.': (76, 2),
    'chlink connects your Azure VNet': (76, 4),
    'Cross-region: the endpoint is in': (76, 2),
    'Run `chlink --profile %s export terraform`': (76, 5),
    'The private hostname must resolve to the endpoint': (76, 3),
    'Create them in the portal (Private DNS zones': (76, 4),
    'Verification: any name in the zone': (76, 3),
    'No problems found: DNS, the allow lists': (76, 3),
    'This is a demo: a built-in simulator': (76, 3),
}
# One-line texts drawn after a prefix: the portal checklist (">[ ] " then the step).
LINES = {
    'Private Link Center > Private endpoints > Create': 71,
    "Basics: subscription, resource group, name, region (the VNet's region)": 71,
    'Resource: "Connect to an Azure resource by resource ID or alias" = the alias below': 71,
    'Virtual network: the VNet and subnet (an application security group is optional)': 71,
    'DNS: nothing to change here, chlink sets up the private DNS next': 71,
    'Tags: optional': 71,
    "Review + create, then open the endpoint's JSON view for properties.resourceGuid": 71,
    'The connection is approved. Press Enter to test access.': 76,
    'Enter next  Esc back  Tab field  Space tick  ? help  r refresh  q quit': 80,
    'Enter do it  Esc back  Tab next field  F1 help  F5 refresh  F10 quit': 80,
}
NO_BREAK_BEFORE = '、。，．・：；？！」』）］｝〉》】ー々…,.;:!?)]}'


def cw(c):
    return 2 if unicodedata.east_asian_width(c) in 'WF' else 1


def wrap_rows(s, cols):
    """Rows tw_wrap_line (src/textwidth.c) needs: breaks at spaces and between wide characters."""
    rows = 0
    for para in s.split('\n'):
        while True:
            rows += 1
            used, i, brk = 0, 0, 0
            while i < len(para):
                w = cw(para[i])
                if used + w > cols:
                    break
                used += w
                i += 1
                if para[i - 1] == ' ':
                    brk = i
                elif w == 2 and i < len(para) and para[i] not in NO_BREAK_BEFORE:
                    brk = i
            if i >= len(para):
                break
            if brk == 0:
                brk = max(i, 1)
            para = para[brk:].lstrip(' ')
    return rows


def sample(s):
    return s.replace('%s', 'westeurope').replace('%d', '10')


def check_widths(path):
    bad = []
    for msgid, plural, strs, flags in parse(path):
        w = cells(msgid)
        for s in strs:
            # short labels: at most one space, no newline, <= 12 cells
            if '\n' not in msgid and msgid.strip().count(' ') <= 1 and w <= 12:
                if cells(s) > 2 * w + 4:
                    bad.append('label too wide: %r (%d cells) => %r (%d cells, max %d)'
                               % (msgid, w, s, cells(s), 2 * w + 4))
            if msgid in UI_LABELS and cells(s) > LABEL_CELLS:
                bad.append('field label too wide: %r => %r (%d cells, max %d)'
                           % (msgid, s, cells(s), LABEL_CELLS))
            if msgid in COLUMNS and cells(s) > COLUMNS[msgid]:
                bad.append('column text too wide: %r => %r (%d cells, max %d)'
                           % (msgid, s, cells(s), COLUMNS[msgid]))
            for pre, (cols, rows) in PARAGRAPHS.items():
                if msgid.startswith(pre) and wrap_rows(sample(msgid), cols) <= rows \
                        and wrap_rows(sample(s), cols) > rows:
                    bad.append('paragraph needs %d rows of %d cells, the wizard shows %d: %r'
                               % (wrap_rows(sample(s), cols), cols, rows, s[:60]))
            if msgid in LINES and cells(s) > LINES[msgid]:
                bad.append('line too wide: %r => %r (%d cells, max %d)'
                           % (msgid[:40], s, cells(s), LINES[msgid]))
            if msgid in BADGES and cells(s) > BADGE_CELLS:
                bad.append('step badge too wide: %r => %r (%d cells, max %d)'
                           % (msgid, s, cells(s), BADGE_CELLS))
            # help text: lines that fit 80 cells in English must fit in Japanese
            # pre-formatted help (every English line short); wizard paragraphs are wrapped instead
            if '\n' in msgid and max(cells(l) for l in msgid.split('\n')) <= 90:
                en, ja = msgid.split('\n'), s.split('\n')
                pairs = zip(en, ja) if len(en) == len(ja) else \
                    ((max(en, key=cells), l) for l in ja)
                for e_line, line in pairs:
                    if cells(line) > max(80, cells(e_line)):
                        bad.append('help line over 80 cells (%d): %r' % (cells(line), line))
            # leading and trailing blanks are layout: keep them
            for a, b in ((msgid, s),):
                lead = len(a) - len(a.lstrip(' \n'))
                trail = len(a) - len(a.rstrip(' \n'))
                if a[:lead] != b[:len(b) - len(b.lstrip(' \n'))] or \
                        a[len(a) - trail:] != b[len(b.rstrip(' \n')):]:
                    bad.append('leading/trailing blanks differ: %r => %r' % (a[:40], b[:40]))
    return bad


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ('terms', 'widths'):
        print(__doc__, file=sys.stderr)
        return 2
    entries = parse(sys.argv[2])
    if not entries:
        print('no messages in %s' % sys.argv[2])
        return 1
    bad = check_terms(sys.argv[2]) if sys.argv[1] == 'terms' else check_widths(sys.argv[2])
    for b in bad:
        print(b)
    print('%d messages checked, %d problems' % (len(entries), len(bad)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
