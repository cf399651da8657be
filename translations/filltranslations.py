#!/usr/bin/env python3
"""Fills translations/quantscope_de.ts from translations/de_strings.py (source -> German) after
`ninja update_translations`, and marks every English string finished (the English file carries
the source texts). Exits 1 naming any source text without a German translation."""
import os
import sys
import xml.etree.ElementTree as ET

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from de_strings import DE  # noqa: E402


def fill(path, table):
    tree = ET.parse(path)
    missing = []
    for m in tree.iter('message'):
        source = m.find('source').text
        t = m.find('translation')
        text = table.get(source) if table is not None else source
        if text is None:
            missing.append(source)
            continue
        t.text = text
        t.attrib.pop('type', None)
    tree.write(path, encoding='utf-8', xml_declaration=True)
    with open(path, encoding='utf-8') as f:
        body = f.read().replace("<?xml version='1.0' encoding='utf-8'?>", '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(body)
    return missing


missing = fill(os.path.join(here, 'quantscope_de.ts'), DE)
fill(os.path.join(here, 'quantscope_en.ts'), None)
for s in missing:
    print('no German translation: ' + s)
sys.exit(1 if missing else 0)
