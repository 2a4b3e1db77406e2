"""申请使用: access requests for entries open on conditions (有条件开放) or under
authorised operation (授权运营). A signed-in member asks the owning member; the
owner's users approve or decline with a reason. Only the two members and the
secretariat see a request."""
