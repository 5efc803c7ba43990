locals {
  interpolation = "${var.prefix}-${var.name}"
  nested_quotes = "${join(",", ["a", "b"])}"
  expression    = "total: ${var.count * 2 + 1}"
  conditional   = "%{if var.enabled}on%{else}off%{endif}"
  loop          = "%{for item in var.items}${item}, %{endfor}"
  keyed_loop    = "%{for key, value in var.map}${key}=${value};%{endfor}"
  strip         = "${~var.name~}"
  strip_if      = "a %{~if var.x~} b %{~endif~} c"
  deep          = "${"inner ${"deeper ${var.x}"}"}"
  multi_line = "${
    var.first
  }"
  object_inside = "${{ a = 1 }.a}"
}
