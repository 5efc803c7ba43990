locals {
  arithmetic  = 1 + 2 * 3 - 4 / 2 % 3
  comparison  = var.a >= 1 && var.b < 2 || var.c == 3 && var.d != 4
  logic       = !var.enabled || (var.a > var.b && var.c <= var.d)
  unary       = -var.x + -(2 * 3)
  double_not  = !!var.flag
  conditional = var.enabled ? "on" : "off"
  chained     = var.a ? 1 : var.b ? 2 : 3
  parentheses = (1 + 2) * 3
  multi_line = (
    var.first_condition &&
    var.second_condition
  ) ? "both" : "not both"
  attribute_of_parens = (var.enabled ? var.a : var.b).name
}
