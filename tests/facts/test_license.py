"""License facts (FACTS.md: has_license, license_spdx)."""

from __future__ import annotations

import pytest

from reviewer.facts.license import find_license, spdx_from_name, spdx_from_text

MIT = (
    "MIT License\n\nCopyright (c) 2024 A. Student\n\n"
    "Permission is hereby granted, free of charge, to any person obtaining a copy\n"
    'of this software and associated documentation files (the "Software"), to deal\n'
    "in the Software without restriction...\n\n"
    "The above copyright notice and this permission notice shall be included in all\n"
    "copies or substantial portions of the Software.\n"
)
APACHE = "                Apache License\n            Version 2.0, January 2004\n"
GPL3 = (
    "           GNU GENERAL PUBLIC LICENSE\n              Version 3, 29 June 2007\n"
    "                       TERMS AND CONDITIONS\n"
    "either version 3 of the License, or (at your option) any later version.\n"
)
GPL3_NOTICE = (
    "This program is free software: you can redistribute it under the terms of the\n"
    "GNU General Public License as published by the Free Software Foundation, either\n"
    "version 3 of the License, or (at your option) any later version.\n"
)
BSD3 = (
    "Redistribution and use in source and binary forms, with or without modification, are\n"
    "permitted provided that...\n3. Neither the name of the copyright holder nor the names\n"
)
BSD2 = "Redistribution and use in source and binary forms, with or without modification...\n"


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        (MIT, "MIT"),
        (APACHE, "Apache-2.0"),
        (GPL3, "GPL-3.0-only"),
        (GPL3_NOTICE, "GPL-3.0-or-later"),
        ("GNU LESSER GENERAL PUBLIC LICENSE\nVersion 2.1, February 1999\n", "LGPL-2.1-only"),
        ("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007\n", "AGPL-3.0-only"),
        (BSD3, "BSD-3-Clause"),
        (BSD2, "BSD-2-Clause"),
        ("Mozilla Public License Version 2.0\n==================================\n", "MPL-2.0"),
        ("This is free and unencumbered software released into the public domain.\n", "Unlicense"),
        ("Creative Commons Legal Code\n\nCC0 1.0 Universal\n", "CC0-1.0"),
        ("Attribution-NonCommercial 4.0 International\n", "CC-BY-NC-4.0"),
        ("Attribution 4.0 International\n", "CC-BY-4.0"),
        ("Boost Software License - Version 1.0 - August 17th, 2003\n", "BSL-1.0"),
        ("Eclipse Public License - v 2.0\n", "EPL-2.0"),
        (
            "Permission to use, copy, modify, and/or distribute this software for any purpose\n"
            "with or without fee is hereby granted, provided that the above copyright notice\n"
            "and this permission notice appear in all copies.\n",
            "ISC",
        ),
        ("MIT License\n\nCopyright (c) 2023 Someone\n", "MIT"),
        (MIT + "\n# Non-code content\nDedicated under CC0 1.0 Universal.\n", "MIT"),
        ("All rights reserved.\n", None),
    ],
    ids=[
        "mit",
        "apache",
        "gpl3-full-text",
        "gpl3-or-later-notice",
        "lgpl21",
        "agpl3",
        "bsd3",
        "bsd2",
        "mpl2",
        "unlicense",
        "cc0",
        "cc-by-nc",
        "cc-by",
        "bsl",
        "epl2",
        "isc",
        "title-only",
        "software-license-wins-over-content-license",
        "unknown",
    ],
)
def test_spdx_from_license_text(text, spdx):
    assert spdx_from_text(text) == spdx


@pytest.mark.parametrize(
    ("name", "spdx"),
    [
        ("MIT License", "MIT"),
        ("Apache Software License", "Apache-2.0"),
        ("Apache 2.0", "Apache-2.0"),
        ("GPLv3", "GPL-3.0-only"),
        ("GPL-3.0-or-later", "GPL-3.0-or-later"),
        ("BSD 3-Clause", "BSD-3-Clause"),
        ("MIT OR Apache-2.0", "Apache-2.0 OR MIT"),
        ("Proprietary", None),
    ],
    ids=["mit", "trove-apache", "apache-short", "gplv3", "exact-id", "bsd3", "dual", "unknown"],
)
def test_spdx_from_declared_name(name, spdx):
    assert spdx_from_name(name) == spdx


CASES = [
    ({"LICENSE": MIT}, True, "MIT", ("LICENSE",)),
    ({"LICENCE.txt": APACHE}, True, "Apache-2.0", ("LICENCE.txt",)),
    ({"COPYING": GPL3}, True, "GPL-3.0-only", ("COPYING",)),
    ({"LICENSE-MIT": "Copyright 2024 me\n"}, True, "MIT", ("LICENSE-MIT",)),
    ({"LICENSE": "  \n\n"}, False, None, ()),
    ({"LICENSE": ""}, False, None, ()),
    ({"README.md": "## License\n\nMIT\n"}, False, None, ()),
    (
        {"pyproject.toml": "[project]\nname = 'x'\nlicense = {text = 'MIT'}\n"},
        True,
        "MIT",
        ("pyproject.toml:3",),
    ),
    (
        {"pyproject.toml": "[project]\nname = 'x'\nlicense = 'Apache-2.0'\n"},
        True,
        "Apache-2.0",
        ("pyproject.toml:3",),
    ),
    (
        {"pyproject.toml": "[tool.poetry]\nname = 'x'\nlicense = 'BSD-3-Clause'\n"},
        True,
        "BSD-3-Clause",
        ("pyproject.toml:3",),
    ),
    (
        {"setup.py": "from setuptools import setup\nsetup(name='x',\n      license='MIT')\n"},
        True,
        "MIT",
        ("setup.py:3",),
    ),
    ({"setup.py": "from setuptools import setup\nsetup(name='x', license='')\n"}, False, None, ()),
    (
        {"setup.cfg": "[metadata]\nname = x\nlicense = GPLv3\n"},
        True,
        "GPL-3.0-only",
        ("setup.cfg:3",),
    ),
    (
        {"setup.py": "setup(classifiers=['License :: OSI Approved :: MIT License'])\n"},
        True,
        "MIT",
        ("setup.py:1",),
    ),
    ({"docs/LICENSE": MIT}, False, None, ()),
    ({"LICENSE": "Copyright 2024 me. All rights reserved.\n"}, True, None, ("LICENSE",)),
]


@pytest.mark.parametrize(
    ("files", "has", "spdx", "evidence"),
    CASES,
    ids=[
        "mit-file",
        "licence-spelling",
        "copying-gpl",
        "suffix-names-license",
        "whitespace-only-is-empty",
        "zero-bytes",
        "readme-mention-does-not-count",
        "pyproject-table",
        "pyproject-pep639-string",
        "poetry",
        "setup-py-kwarg",
        "setup-py-empty-license",
        "setup-cfg",
        "trove-classifier",
        "not-at-root",
        "unrecognised-text",
    ],
)
def test_license_file_or_declaration(snapshot_of, files, has, spdx, evidence):
    facts = find_license(snapshot_of(files), {})
    assert facts["has_license"].value is has
    assert facts["license_spdx"].value == spdx
    assert facts["has_license"].evidence == evidence


def test_file_text_wins_over_declaration(snapshot_of):
    facts = find_license(
        snapshot_of({"LICENSE": APACHE, "pyproject.toml": "[project]\nlicense = 'MIT'\n"}), {}
    )
    assert facts["license_spdx"].value == "Apache-2.0"
