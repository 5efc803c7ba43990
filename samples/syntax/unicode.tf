# Terraform accepts Unicode letters in identifiers.
locals {
  café     = "identifier with an accent"
  名前       = "identifier in kanji"
  résumé_2 = "letters, digits and underscores"
}
