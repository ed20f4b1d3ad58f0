//! Bringing customers in from a file: read the file into a table of text (`table`), guess
//! which field each column feeds (`mapping`), read each cell as people write it (`values`),
//! and record each import as a batch that can be undone (`repo`). The app layer turns rows
//! into customers.

pub mod mapping;
pub mod model;
pub mod repo;
pub mod table;
pub mod values;

pub use mapping::{guess_all, Mapping, Target};
pub use model::{Batch, Check, Duplicates, ImportRequest, ImportResult, Preview, Progress, RowError};
pub use table::{read, read_bytes, Format, ReadOptions, Table};
