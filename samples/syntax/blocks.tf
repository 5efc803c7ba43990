# Bodies, attributes and blocks with identifier and string labels.
name = "top-level attribute"

terraform {
  required_version = ">= 1.5.0"

  backend "s3" {}
}

resource "aws_s3_bucket" "state" {
  bucket = "example-state"

  versioning {
    enabled = true
  }
}

# An identifier label and a string label; a comment between labels.
module_call identifier "quoted" /* between labels */ "third" {
  count = 1
}

one_line { attribute = "value" }

empty_block {}

nested {
  level_two {
    level_three {
      deep = true
    }
  }
}
