# Deliberately not formatted the way terraform fmt would write it.
locals {
    four_spaces = 1
  misaligned = 2
  b=3
  spaces_in_brackets = [ 1 , 2 ]
}
