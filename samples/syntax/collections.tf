locals {
  empty_tuple  = []
  empty_object = {}
  tuple        = [1, 2, 3]
  trailing     = ["a", "b", ]
  multi_line = [
    "one",
    "two",
  ]

  object = { a = 1, b = 2 }
  newline_separated = {
    first  = 1
    second = 2
  }
  colon_separated = {
    "key" : "value",
    other : "value",
  }
  computed_keys = {
    (var.key_name)         = "value"
    "${var.prefix}-suffix" = "value"
  }
  trailing_comma = { a = 1, }

  nested = {
    list = [{ x = 1 }, { x = 2 }]
    map  = { inner = { deep = [[1, 2], [3]] } }
  }
}
