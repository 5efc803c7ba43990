"""Agreement with Terraform: our parser accepts exactly what `terraform fmt` accepts.

Each snippet below probes one corner of the HCL native syntax (newlines, one-line
blocks, heredoc markers, templates, keywords, separators). Where terraform is
installed, every snippet is fed to both and the verdicts must match.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from fixer.syntax import ParseError, parse

CASES = [
    "a = <<EOT\nx\n  EOT\n",
    "a = <<EOT\nx\nEOT  \n",
    "a = <<EOT\nx\nEOT",
    "a = <<-EOT\nx\n\tEOT\n",
    "a = <<EOT\nEOT\n",
    "a = <<EOT \nx\nEOT\n",
    "a = 1\n  + 2\n",
    "a = (1\n  + 2)\n",
    "a = { for k, v in m :\n k => v }\n",
    "a = {\n for k, v in m : k => v\n}\n",
    "a = [\n for x in y : x\n if x\n]\n",
    'a = "${\n x\n}"\n',
    "a = foo.0.1\n",
    "a = { a = 1\n, b = 2 }\n",
    "a = { a = 1,\n b = 2 }\n",
    "a = {\n a = 1\n\n b = 2\n}\n",
    "a = 1 /* x\n */ b = 2\n",
    "a = 1 /* x */\n",
    'b "x" /* c */ "y" {}\n',
    "b {}",
    "b { a = 1 }\n",
    "b { a = 1\n}\n",
    "b {\n a = 1 }\n",
    "b { c {} }\n",
    'a = "\\x"\n',
    'a = "a\rb"\n',
    "a = f(x...)\n",
    "a = f(x...,)\n",
    "a = f(x,)\n",
    "a = [1,]\n",
    "a = {a=1,}\n",
    "a = x[*]\n",
    "a = x.*.y\n",
    "a = !!true\n",
    "a = - -1\n",
    'a = "%%{x}"\n',
    'a = "%{ if x }y%{ endif }"\n',
    'a = "%{if x~}y%{~endif}"\n',
    'a = "%{ for x in y }${x}%{ endfor }"\n',
    'a = "%{ for k, v in y }${x}%{ endfor }"\n',
    'a = "%{ if x }y%{ else }z%{ endif }"\n',
    'a = "%{ else }"\n',
    'a = "%{ x }"\n',
    'a = "%{}"\n',
    'a = "%"\n',
    'a = "$"\n',
    'a = "${"\n',
    'a = "$${"\n',
    'a = "%%{"\n',
    'a = "$$"\n',
    "a = <<EOT\n%{ if x }\ny\n%{ endif }\nEOT\n",
    "a = <<EOT\n${x}\nEOT\n",
    "a = <<EOT\n  ${x}EOT\nEOT\n",
    "a = <<EOT\n${\nEOT\n}\nEOT\n",
    'a = "${ "}" }"\n',
    'a = "${ {a=1}.a }"\n',
    'a = "${ {\na=1}.a }"\n',
    'a = "\\u00e9"\n',
    'a = "\\U0001F600"\n',
    'a = "\\uZZZZ"\n',
    'a = "x\\\n"\n',
    'b "a" {\n}\n',
    "b a {\n}\n",
    'b "a" b {\n}\n',
    'b "${x}" {\n}\n',
    "b 1 {\n}\n",
    "a = 1\nb = 2",
    "\n\n\na = 1\n\n\n",
    "# only\n// comments\n/* x */",
    "",
    "\ufeffa = 1\n",
    "a\t=\t1\n",
    "a = 1;\n",
    "a = [for x in y: x]\n",
    "a = {for x in y: x => x}\n",
    "a = [for x in y: {a=1\nb=2}]\n",
    "a = {for x in y: x => x...}\n",
    "a = f(\n1\n,\n2\n)\n",
    "a = x[\n1\n]\n",
    "a = x.y[0].z\n",
    "a = x.y.0\n",
    "a = x.y.*[0]\n",
    "a = true.b\n",
    "a = null\n",
    "a = for\n",
    "for = 1\n",
    "in = 1\n",
    "if = 1\n",
    "a = [for, in]\n",
    "a = -x.y\n",
    "a = 1\r\nb {\r\n  c = 2\r\n}\r\n",
    "a = <<EOT\r\nx\r\nEOT\r\n",
    'a = "x" # c\n',
    'a = "x" // c',
    "a = 1 # c",
    "b {\n  # only comment\n}\n",
    "b {\n}",
    "b {\n\n}\n",
    "b { # c\n  a = 1\n}\n",
    "b { /* c */ }\n",
    "a = [\n  1, # one\n  2 // two\n]\n",
    "a = f(/* x */ 1)\n",
    "a = { # c\n  b = 1 # d\n}\n",
    "a = [1 2]\n",
    "a = {a = 1 b = 2}\n",
    'a = 1 == 2 ? "y" : "n"\n',
    "a = x ? y : z ? w : v\n",
    "a = (x ? y : z).w\n",
    "a = [for i, v in x : v if i > 0]\n",
    "a = {for k, v in x : k => v if v}\n",
    "a = provider::aws::arn_parse(x)\n",
    "a = provider::aws::arn_parse\n",
    "a = f::g(x)\n",
    "a = x[0][1].y[*].z\n",
    'a = "${x}${y}"\n',
    'a = "${x} %{if y}z%{endif}"\n',
    "a = <<-EOT\n    ${x}\n  EOT\n",
    "a = <<-EOT\n  %{ for x in y ~}\n  ${x}\n  %{ endfor ~}\n  EOT\n",
    'a = <<EOT\n"quoted" and \\n and $$\nEOT\n',
    "a = <<EOT\nEOTX\nEOT\n",
    "a = <<EOT\n EOT x\nEOT\n",
    "a = <<EO-T\nx\nEO-T\n",
    "a = <<EOT\nx\n",
    'a = "unterminated\n',
    "a = {\n",
    "a = [1, 2\n",
    "b {\n  c = 1\n",
    "a = f(1,\n",
    "}\n",
    "]\n",
    "a = 1 +\n",
    "a = \n",
    "a\n",
    "a = 1 2\n",
    "= 1\n",
    'a = "x" "y"\n',
    'b "x" = 1\n',
    "a = { a = 1 }.a\n",
    "a = [1][0]\n",
    'a = "${x}"[0]\n',
    "a = 1.5.x\n",
    "a = x.1y\n",
    "a = 1e\n",
    "a = 1e+5\n",
    "a = 0x10\n",
    "a = 007\n",
    "a = ~x\n",
    "a = x ~} y\n",
    "a = `x`\n",
    "a = 'x'\n",
    "a = @x\n",
    "a = x&y\n",
    "a = x|y\n",
    "a = x!=y\n",
    "a = !x\n",
    "a = x...\n",
    "a = [x...]\n",
    "a = {x = 1...}\n",
    'a = "${x...}"\n',
    "a = f(g(x)...)\n",
    'b "a" "b" "c" "d" {\n}\n',
    "b\n{\n}\n",
    'b "a"\n{\n}\n',
    'a = { "b" : 1, c = 2 }\n',
    "a = { b: 1 }\n",
    "a = x.y.z\n",
    "a = x. y\n",
    "a = x .y\n",
    "a = x\n.y\n",
    "a = (\nx\n.y\n)\n",
    "a = [\n]\n",
    "a = {\n}\n",
    "a = {}\n",
    "a = []\n",
    "a = ()\n",
    'a = "\\"quoted\\""\n',
    'a = "tab\\there"\n',
    'a = "back\\\\slash"\n',
    'a = "${"nested ${"deep"}"}"\n',
    'a = "%{ if true }${"x"}%{ endif }"\n',
]


def _ours(text: str) -> bool:
    try:
        tree = parse(text)
    except ParseError:
        return False
    assert tree.text == text
    return True


@pytest.fixture(scope="module")
def terraform_verdicts(terraform_bin: str, terraform_env: dict[str, str]) -> dict[str, bool]:
    """Terraform's verdict on every case, computed once and in parallel."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda c: _terraform_accepts(terraform_bin, terraform_env, c), CASES)
        return dict(zip(CASES, results, strict=True))


def test_case_list_covers_both_verdicts(terraform_verdicts: dict[str, bool]) -> None:
    accepted = sum(terraform_verdicts.values())
    assert 40 < accepted < len(CASES) - 40


@pytest.mark.parametrize("text", CASES, ids=[repr(c)[:60] for c in CASES])
def test_same_verdict_as_terraform(text: str, terraform_verdicts: dict[str, bool]) -> None:
    assert _ours(text) == terraform_verdicts[text]


def _terraform_accepts(binary: str, env: dict[str, str], text: str) -> bool:
    result = subprocess.run(
        [binary, "fmt", "-no-color", "-"],
        input=text.encode(),
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    return result.returncode == 0
