-- The time zone of zoneless date-times sent for this database's profiles (an IANA name; UTC unless set).
alter table databases add column timezone text not null default 'UTC';
