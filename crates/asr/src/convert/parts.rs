//! Several files read as one: a `model.bin` split into parts for upload limits.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::PathBuf;

/// The concatenation of files, in order, with `Read` and `Seek`.
///
/// Nothing is copied: a read is served from the part that holds the
/// position, so a split model converts without first joining its parts.
#[derive(Debug)]
pub struct ConcatenatedFiles {
    files: Vec<File>,
    /// Start offset of each part in the whole.
    starts: Vec<u64>,
    len: u64,
    pos: u64,
}

impl ConcatenatedFiles {
    /// Opens `paths` in order.
    pub fn open(paths: &[PathBuf]) -> io::Result<Self> {
        let mut files = Vec::with_capacity(paths.len());
        let mut starts = Vec::with_capacity(paths.len());
        let mut len = 0u64;
        for path in paths {
            let file = File::open(path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            starts.push(len);
            len += file.metadata()?.len();
            files.push(file);
        }
        Ok(ConcatenatedFiles { files, starts, len, pos: 0 })
    }

    /// Total length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether there are no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Read for ConcatenatedFiles {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || buf.is_empty() {
            return Ok(0);
        }
        // The last part that starts at or before the position.
        let part = self.starts.partition_point(|&start| start <= self.pos).saturating_sub(1);
        let (Some(file), Some(&start)) = (self.files.get_mut(part), self.starts.get(part)) else {
            return Ok(0);
        };
        let part_end = self.starts.get(part + 1).copied().unwrap_or(self.len);
        let available = (part_end - self.pos).min(buf.len() as u64) as usize;
        file.seek(SeekFrom::Start(self.pos - start))?;
        let n = file.read(&mut buf[..available])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for ConcatenatedFiles {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match target {
            Some(n) => {
                self.pos = n;
                Ok(n)
            }
            None => Err(io::Error::new(io::ErrorKind::InvalidInput, "seek before the start of the file")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_across_part_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        let whole: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let cuts = [0usize, 1, 300, 300, 999, 1000];
        let mut paths = Vec::new();
        for (i, w) in cuts.windows(2).enumerate() {
            let path = dir.path().join(format!("part{i}"));
            std::fs::write(&path, &whole[w[0]..w[1]]).unwrap();
            paths.push(path);
        }
        let mut files = ConcatenatedFiles::open(&paths).unwrap();
        assert_eq!(files.len(), 1000);
        let mut all = Vec::new();
        files.read_to_end(&mut all).unwrap();
        assert_eq!(all, whole);

        files.seek(SeekFrom::Start(295)).unwrap();
        let mut buf = [0u8; 10];
        files.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, &whole[295..305]);
        files.seek(SeekFrom::End(-3)).unwrap();
        let mut tail = Vec::new();
        files.read_to_end(&mut tail).unwrap();
        assert_eq!(tail, &whole[997..]);
        assert!(files.seek(SeekFrom::Current(-2000)).is_err());
    }
}
