-- launchq schema, version 3: the policy of each object's last applied declaration.
-- `applied_policy` is canonical JSON (`{"prune":true,"protect":false}`); it decides what happens to the object once
-- its declaration is gone (policy.prune overrides the global prune setting; policy.protect forbids deleting it).
-- NULL: never recorded (the global setting decides).
ALTER TABLE objects ADD COLUMN applied_policy text;
