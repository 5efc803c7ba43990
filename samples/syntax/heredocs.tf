locals {
  plain = <<EOT
A heredoc with "quotes", a lone $ and % sign,
an escaped $${interpolation} and %%{ directive },
and a backslash \n that is not an escape.
EOT

  indented = <<-EOT
    Indented heredoc: the common leading whitespace is removed.
      This line keeps two extra spaces.
    EOT

  interpolated = <<EOT
Hello, ${var.name}!
%{if var.admin}You are an admin.%{endif}
EOT

  empty = <<EOT
EOT

  custom_delimiter = <<POLICY
{
  "Version": "2012-10-17"
}
POLICY

  looks_like_delimiter = <<END
END_OF_TEXT is not the delimiter
 END with text after it is not either
ENDING
END

  strip_markers = <<-EOT
    %{for name in var.names~}
    ${name}
    %{endfor~}
  EOT

  delimiter_after_interpolation = <<EOT
${var.x}EOT stays on this line
EOT
}
