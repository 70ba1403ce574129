//! Prints the records field reference that README shows (between its `field-reference` markers).
#![allow(clippy::print_stdout)]

fn main() {
    print!("{}", hearth_core::records::fields::reference_markdown());
}
