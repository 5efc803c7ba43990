locals {
  tuple_form   = [for s in var.list : upper(s)]
  indexed      = [for i, s in var.list : "${i}:${s}"]
  filtered     = [for s in var.list : s if s != ""]
  object_form  = { for k, v in var.map : k => upper(v) }
  grouped      = { for s in var.list : substr(s, 0, 1) => s... }
  grouped_if   = { for s in var.list : length(s) => s... if s != "" }
  nested       = [for x in [for y in var.list : y] : x]
  object_value = [for k, v in var.map : { key = k, value = v }]
  multi_line = {
    for name, user in var.users :
    name => user.role
    if user.active
  }
  multi_line_tuple = [
    for item in var.items :
    item.id
  ]
}
