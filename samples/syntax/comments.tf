# Hash comment at the start of the file.
// Slash comment.
/* Block comment
   spanning lines */

locals { # comment after an opening brace
  # comment inside a block
  a = 1 # trailing hash comment
  b = 2 // trailing slash comment
  c = 3 /* trailing block comment */

  object = {
    # comment inside an object
    key                      = "value" # after an object value
    /* before a key */ other = "value"
  }

  tuple = [
    1, # after an element
    // on its own line
    2,
    /* inline */ 3,
  ]

  call = max(
    1, # after an argument
    /* before an argument */ 2,
  )

  conditional = (
    true # after the condition
    ? "yes"
    : "no"
  )
}
/* a block comment at the end */
