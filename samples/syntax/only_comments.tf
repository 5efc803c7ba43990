# This file holds only comments.
// Terraform accepts it as an empty configuration.
/*
  A block comment too.
*/
