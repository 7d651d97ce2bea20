"""What every part of the desk shares: the one clock, errors, codes and labels, money, masking, field checks, files, progress, logs."""
