-- How each applied pack came (pack sources: "hub", "usb"), so staff mode can
-- say whether the content on screen came from the province hub or a USB stick.
-- NULL for packs applied before this column existed: not known.
ALTER TABLE content_generations ADD COLUMN applied_source TEXT;
