from setuptools import find_namespace_packages
from setuptools import setup


with open('README.md') as readme, open('HISTORY.txt') as history:
    long_description = readme.read() + '\n\n' + history.read()

setup(
    name='Products.RefreshManager',
    version='1.0.dev0',
    description=(
        'Refresh a Zope product\'s Python code in a running Zope, '
        'managed from Control_Panel/Products in the ZMI.'),
    long_description=long_description,
    long_description_content_type='text/markdown',
    license='ZPL-2.1',
    classifiers=[
        'Framework :: Zope',
        'Framework :: Zope :: 5',
        'Framework :: Zope :: 6',
        'License :: OSI Approved :: Zope Public License',
        'Programming Language :: Python :: 3',
    ],
    packages=find_namespace_packages(include=['Products.*']),
    package_data={'Products.RefreshManager': ['refresh.txt', 'www/*.pt']},
    include_package_data=True,
    zip_safe=False,
    python_requires='>=3.10',
    install_requires=[
        'Zope >= 5.10',
        'ZODB',
        'persistent',
        'transaction',
        'watchfiles',
    ],
    extras_require={
        # What `make run` needs to serve the demo instance.
        'demo': [
            'Zope[wsgi]',
        ],
        'test': [
            'Zope[wsgi]',
            'pytest',
            'WebTest',
            'beautifulsoup4',
            'playwright',
            # benchmarks/inplace_speed.py compares against it
            'plone.reload',
        ],
    },
)
