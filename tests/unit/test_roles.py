from maydan import roles

LIS = "http://purl.imsglobal.org/vocab/lis/v2/"


def test_lti_roles_map_to_course_roles():
    assert roles.from_lti([LIS + "membership#Learner"]) == {roles.STUDENT}
    assert roles.from_lti([LIS + "membership#Instructor", LIS + "institution/person#Faculty"]) == {roles.ACADEMIC}
    assert roles.from_lti([LIS + "membership/Instructor#TeachingAssistant"]) == {roles.ACADEMIC}
    assert roles.from_lti([LIS + "membership#Mentor"]) == {roles.AGENCY}
    assert roles.from_lti([LIS + "membership#ContentDeveloper"]) == {roles.AUTHOR}
    assert roles.from_lti([LIS + "institution/person#Administrator"]) == {roles.COORDINATOR}


def test_unknown_or_missing_roles_get_least_privilege():
    assert roles.from_lti([]) == {roles.STUDENT}
    assert roles.from_lti([LIS + "institution/person#Student"]) == {roles.STUDENT}
    assert roles.from_openedx("wizard") == {roles.STUDENT}
    assert roles.from_openedx("staff") == {roles.ACADEMIC}
