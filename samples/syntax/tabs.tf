locals {
	indented_with_tab = 1
	other	= "tab before the equals sign"
}
