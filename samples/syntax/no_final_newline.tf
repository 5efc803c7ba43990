locals {
  last_line = "this file has no final newline"
}