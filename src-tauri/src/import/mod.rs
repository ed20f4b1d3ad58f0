//! Bringing customers in from a file: read the file into a table of text (`table`), guess
//! which field each column feeds (`mapping`), and read each cell as people write it
//! (`values`). Plain functions, no database: the app layer turns rows into customers.

pub mod mapping;
pub mod table;
pub mod values;

pub use mapping::{guess_all, Mapping, Target};
pub use table::{read, read_bytes, Format, ReadOptions, Table};
