locals {
  integer  = 42
  fraction = 3.14
  exponent = 6.02e23
  negative = -7
  small    = 1.5E-3
  yes      = true
  no       = false
  nothing  = null

  plain      = "a plain string"
  escapes    = "tab\tnewline\ncarriage\rquote\"backslash\\"
  unicode    = "caf\u00e9 \U0001F600"
  literal    = "not an interpolation: $${var.name}"
  directive  = "not a directive: %%{ if x }"
  dollar     = "costs $5 and 100% more"
  empty      = ""
  non_ascii  = "こんにちは"
  emoji_text = "🚀 launch"
}
